// The outcome of a send: the package's BulkReport as counts, reasons, lists
// (with the operator's line numbers), the requests with their SessionNo and
// request id, a "resend failed" action and the history of sends.
import { byId, count, el, plural } from "./dom.js";

// Long lists are cut on screen; the downloadable report has everything.
const MAX_LIST_ROWS = 200;

const CHUNK_STATUS = {
  accepted: "accepted",
  partial: "partly failed",
  mismatch: "counts do not add up",
  failed: "failed",
  unknown: "outcome unknown",
  not_attempted: "not attempted",
};

/** Numbers in a request (the resend request may hold several tasks). */
export function targetCount(request) {
  return request ? request.TaskContent.reduce((sum, task) => sum + task.Target.length, 0) : 0;
}

function table(caption, headers, rows, numeric = []) {
  return el("table", {},
    el("caption", { className: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { scope: "col", className: numeric.includes(i) ? "num" : "" }, h)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c, i) => el("td", { className: numeric.includes(i) ? "num" : "" }, c))))),
  );
}

/** A collapsible list of report entries; `open` for the ones that need attention. */
function entryList({ id, title, entries, run, open = false, withReason = false, intro = null }) {
  const shown = entries.slice(0, MAX_LIST_ROWS);
  const headers = ["Line", "Phone", "User ID", ...(withReason ? ["Reason"] : [])];
  const rows = shown.map((entry) => [
    String(run.lineOf(entry) ?? "–"), entry.Phone, entry.UserId ?? "", ...(withReason ? [entry.reason ?? ""] : []),
  ]);
  return el("details", { className: "result-list", id, open: open && entries.length > 0 },
    el("summary", {}, `${title} (${count(entries.length)})`),
    intro && el("p", { className: "hint" }, intro),
    entries.length
      // A scrolling box keeps a long list from burying the rest; focusable so keyboards can scroll it.
      ? el("div", { className: "table-scroll", tabIndex: 0, role: "region", "aria-label": `${title} numbers` }, table(title, headers, rows, [0]))
      : el("p", { className: "hint" }, "None."),
    entries.length > shown.length && el("p", { className: "hint" },
      `Showing the first ${count(shown.length)} of ${count(entries.length)}; the downloaded report lists all.`),
  );
}

/** Failures grouped by reason: 500 numbers refused for one cause read better as one line. */
function reasonSummary(failed) {
  const byReason = new Map();
  for (const entry of failed) byReason.set(entry.reason ?? "", (byReason.get(entry.reason ?? "") ?? 0) + 1);
  return el("ul", { className: "reasons", "aria-label": "Failure reasons" },
    [...byReason].sort((a, b) => b[1] - a[1]).map(([reason, n]) =>
      el("li", {}, el("span", { className: "reason-count" }, count(n)), ` × ${reason || "no reason given"}`)));
}

function totalsList(totals) {
  const item = (key, label, value, tone) => el("div", { className: `total is-${tone}`, dataset: { total: key } },
    el("dt", {}, label), el("dd", {}, count(value)));
  return el("dl", { className: "totals" },
    item("accepted", "Accepted", totals.accepted, totals.accepted ? "good" : "plain"),
    item("failed", "Failed", totals.failed, totals.failed ? "bad" : "plain"),
    item("unknown", "Unknown", totals.unknown, totals.unknown ? "warn" : "plain"),
    item("notAttempted", "Not attempted", totals.notAttempted, totals.notAttempted ? "warn" : "plain"),
    item("duplicatesDropped", "Repeats skipped", totals.duplicatesDropped, "plain"),
    item("suppressed", "Suppressed", totals.suppressed, "plain"),
  );
}

function requestsTable(report) {
  const rows = report.chunks.map((chunk) => [
    String(chunk.index + 1),
    CHUNK_STATUS[chunk.status] ?? chunk.status,
    count(chunk.targets),
    chunk.SuccessCount === null ? "–" : count(chunk.SuccessCount),
    chunk.error ? chunk.error.message : chunk.mismatch ?? "",
    el("code", {}, chunk.SessionNo ?? "–"),
    el("code", {}, chunk.requestId ?? "–"),
  ]);
  return table("Requests", ["#", "Result", "Numbers", "Accepted", "Error", "SessionNo", "Request ID"], rows, [0, 2, 3]);
}

/**
 * Renders `run` ({ number, kind, of, startedAt, report, lineOf }) into the
 * results section. `onResend(run)` is called by the "Resend failed" button;
 * `onDownload(run, "csv" | "json")` by the download buttons.
 */
export function renderResults(run, { onResend, onDownload }) {
  const { report } = run;
  const section = byId("results");
  const body = byId("results-body");
  section.hidden = false;
  const resendCount = targetCount(report.resendRequest);
  const time = run.startedAt.toLocaleTimeString();
  const kind = run.kind === "resend" ? `resend of send #${run.of}` : "campaign";

  const resendHint = resendCount
    ? `${plural(resendCount, "number")}: the failed${report.totals.notAttempted ? " and not attempted" : ""} ones.`
      + (report.totals.unknown ? " Unknown ones are left out: they may have been texted already." : "")
    : report.totals.unknown
      ? "Nothing to resend safely: check the unknown numbers' receipts before sending them again."
      : "Nothing to resend.";

  const parts = [
    el("p", { className: "results-title", id: "results-title" }, `Send #${run.number} (${kind}) at ${time}: ${plural(report.totals.targets, "number")}`),
    totalsList(report.totals),
    report.stoppedBy && el("p", { className: "callout is-bad", role: "alert" },
      `Stopped early: ${report.stoppedBy.message}. Numbers not attempted are in the resend.`),
    report.totals.unknown > 0 && el("p", { className: "callout is-warn" },
      "Some requests got no clear answer (cancelled in flight, timeout, reset or server error): those numbers may or may not have been texted. "
      + "Check their receipts with the SessionNo before sending them again."),
    el("div", { className: "actions" },
      el("button", {
        type: "button", id: "resend-failed", className: "button primary",
        disabled: resendCount === 0, onclick: () => onResend(run), "aria-describedby": "resend-hint",
      }, resendCount ? `Resend failed (${count(resendCount)})` : "Resend failed"),
      el("span", { className: "hint", id: "resend-hint" }, resendHint),
      el("button", { type: "button", id: "download-csv", className: "button", onclick: () => onDownload(run, "csv") }, "Download results (CSV)"),
      el("button", { type: "button", id: "download-json", className: "button", onclick: () => onDownload(run, "json") }, "Download results (JSON)"),
    ),
    report.failed.length > 0 && el("div", { className: "reason-block" },
      el("h3", {}, "Why numbers failed"), reasonSummary(report.failed)),
    entryList({ id: "list-failed", title: "Failed", entries: report.failed, run, open: true, withReason: true }),
    entryList({
      id: "list-unknown", title: "Unknown", entries: report.unknown, run, open: true, withReason: true,
      intro: "Not resent automatically: uSpeedo may have accepted them.",
    }),
    entryList({ id: "list-not-attempted", title: "Not attempted", entries: report.notAttempted, run, open: true, withReason: true }),
    el("details", { className: "result-list", id: "list-duplicates" },
      el("summary", {}, `Repeats skipped (${count(report.duplicates.length)})`),
      report.duplicates.length
        ? el("ul", {}, report.duplicates.slice(0, MAX_LIST_ROWS).map((d) =>
          el("li", {}, `Line ${run.lineOfPath(d.path) ?? "?"} repeats line ${run.lineOfPath(d.duplicateOf) ?? "?"}`)))
        : el("p", { className: "hint" }, "None.")),
    entryList({
      id: "list-suppressed", title: "Suppressed", entries: report.suppressed, run,
      intro: "On the suppression list: never sent.",
    }),
    entryList({ id: "list-accepted", title: "Accepted", entries: report.accepted, run }),
    el("details", { className: "result-list", id: "list-requests", open: true },
      el("summary", {}, `Requests to uSpeedo (${count(report.chunks.length)})`),
      report.chunks.length
        ? el("div", { className: "table-scroll", tabIndex: 0, role: "region", "aria-label": "Requests" }, requestsTable(report))
        : el("p", { className: "hint" }, "None."),
      el("p", { className: "hint" }, report.sessionNos.length
        ? `SessionNo for receipts: ${report.sessionNos.join(", ")}`
        : "No SessionNo: nothing was accepted.")),
  ];
  // replaceChildren would print a skipped part (false/null) as text.
  body.replaceChildren(...parts.filter(Boolean));
}

/** The sends so far, and (in mock mode) what the mock API has recorded, as a cross-check. */
export function renderHistory(runs, mockInfo) {
  const box = byId("run-history");
  box.hidden = runs.length === 0;
  const rows = runs.map((run) => {
    const t = run.report.totals;
    return [`#${run.number}`, run.kind === "resend" ? `resend of #${run.of}` : "campaign",
      count(t.targets), count(t.accepted), count(t.failed), count(t.unknown), count(t.notAttempted)];
  });
  const accepted = runs.reduce((sum, run) => sum + run.report.totals.accepted, 0);
  box.replaceChildren(
    el("h3", {}, "All sends"),
    table("All sends", ["Send", "Kind", "Numbers", "Accepted", "Failed", "Unknown", "Not attempted"], rows, [2, 3, 4, 5, 6]),
    el("p", { id: "history-accepted" }, `Accepted in all sends: ${count(accepted)}.`
      + (mockInfo ? ` The mock uSpeedo API has recorded ${plural(mockInfo.accepted, "accepted number")}`
        + `${mockInfo.duplicates ? `, ${plural(mockInfo.duplicates, "repeat")}` : ", no repeats"}.` : "")),
  );
}

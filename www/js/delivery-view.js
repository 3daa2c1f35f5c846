// After a send: did the messages arrive? The package's trackDelivery polls
// uSpeedo's receipts (through the proxy) until every accepted number has a
// final status; this view shows each round as it comes: delivered / failed
// (with the carrier's reason) / pending, the three over time, and totals by
// country.
import { byId, count, el, plural } from "./dom.js";
import { pageClient } from "./page-client.js";

const MAX_FAILED_ROWS = 200;
const KINDS = [["delivered", "Delivered", "good"], ["failed", "Failed", "bad"], ["pending", "Pending", "warn"]];

export function createDeliveryView() {
  const section = byId("delivery");
  const status = byId("delivery-status");
  const stop = byId("stop-tracking");
  let controller = null;

  stop.addEventListener("click", () => controller?.abort());

  function render(report, run, history) {
    const t = report.totals;
    byId("delivery-totals").replaceChildren(...KINDS.map(([key, label, tone]) =>
      el("div", { className: `total is-${t[key] ? tone : "plain"}`, dataset: { delivery: key } }, el("dt", {}, label), el("dd", {}, count(t[key])))));
    // One bar per round: the three statuses' shares of the accepted numbers.
    byId("delivery-chart").replaceChildren(...history.map((h, i) => {
      const total = Math.max(h.delivered + h.failed + h.pending, 1);
      return el("div", { className: "chart-row", dataset: { round: i + 1 } },
        el("span", { className: "chart-label" }, `${h.at}`),
        el("span", { className: "chart-bar", role: "img", "aria-label": `round ${i + 1}: ${h.delivered} delivered, ${h.failed} failed, ${h.pending} pending` },
          ...KINDS.map(([key, , tone]) => el("span", { className: `chart-part is-${tone}`, style: `width:${(100 * h[key]) / total}%` }))));
    }));
    const countries = Object.entries(report.byCountry).map(([code, c]) => el("tr", {},
      el("td", {}, code === "unknown" ? "no code" : `+${code}`),
      ...[c.delivered, c.failed, c.pending].map((n) => el("td", { className: "num" }, count(n)))));
    byId("delivery-countries").replaceChildren(el("caption", { className: "visually-hidden" }, "Delivery by country"),
      el("thead", {}, el("tr", {}, ["Country", "Delivered", "Failed", "Pending"].map((h, i) => el("th", { scope: "col", className: i ? "num" : "" }, h)))),
      el("tbody", {}, countries));
    const failed = report.numbers.filter((n) => n.status === "failed");
    byId("delivery-failed").replaceChildren(
      el("summary", {}, `Not delivered (${count(failed.length)})`),
      failed.length
        ? el("div", { className: "table-scroll", tabIndex: 0, role: "region", "aria-label": "Numbers not delivered" },
          el("table", {}, el("thead", {}, el("tr", {}, ["Line", "Phone", "Carrier's reason"].map((h) => el("th", { scope: "col" }, h)))),
            el("tbody", {}, failed.slice(0, MAX_FAILED_ROWS).map((n) => el("tr", {},
              el("td", { className: "num" }, String(n.path ? run.lineOfPath(n.path) ?? "–" : "–")), el("td", {}, n.Phone), el("td", {}, n.reason ?? ""))))))
        : el("p", { className: "hint" }, "None."));
  }

  /** Tracks `run`'s report; resolves to the delivery report (also when stopped). */
  async function track(run, { intervalMs, onUpdate }) {
    controller?.abort();
    controller = new AbortController();
    section.hidden = false;
    stop.hidden = false;
    const history = [];
    const round = (report) => {
      history.push({ at: new Date().toLocaleTimeString(), ...report.totals });
      render(report, run, history);
      const t = report.totals;
      status.textContent = `Receipts: ${count(t.delivered)} delivered, ${count(t.failed)} failed, ${count(t.pending)} pending`
        + ` of ${plural(t.delivered + t.failed + t.pending, "accepted number")}.`;
      onUpdate?.(report);
    };
    status.textContent = "Asking uSpeedo for receipts…";
    try {
      const report = await pageClient().trackDelivery(run.report, {
        intervalMs, timeoutMs: 15 * 60_000, signal: controller.signal, onProgress: (_, soFar) => round(soFar),
      });
      render(report, run, history);
      status.textContent += report.complete ? " Every accepted number has a final status." : " Stopped: the rest are still pending.";
      return report;
    } catch (error) {
      status.textContent = `Receipts could not be read: ${error.message}`;
      return null;
    } finally {
      stop.hidden = true;
      controller = null;
    }
  }

  return { track };
}

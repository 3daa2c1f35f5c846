// The results as a spreadsheet or JSON, for the operator's records: one row
// per recipient line of the send (sent, failed, unknown, not attempted,
// suppressed or skipped as a repeat), with its request's SessionNo and, once
// receipts are in, its delivery status.

const COLUMNS = ["line", "phone", "user_id", "template_id", "bucket", "reason", "session_no", "delivery_status", "delivery_reason"];

/** RFC 4180: quote cells holding a comma, a quote or a line break; a leading = + - @ is neutralised for spreadsheets. */
function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@]/.test(text) && !/^[+-]?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Every line of `run` with what happened to it. */
export function resultRows(run) {
  const { report, delivery } = run;
  const deliveryByPath = new Map((delivery?.numbers ?? []).filter((n) => n.path).map((n) => [n.path, n]));
  const rows = [];
  const add = (entry, bucket, sessionNo = null) => {
    const d = deliveryByPath.get(entry.path);
    rows.push({
      line: run.lineOfPath(entry.path), phone: entry.Phone, user_id: entry.UserId ?? "", template_id: entry.TemplateId,
      bucket, reason: entry.reason ?? "", session_no: sessionNo ?? "", delivery_status: d?.status ?? "",
      delivery_reason: d?.status === "failed" ? d.reason ?? "" : "",
    });
  };
  const sessionOf = (entry) => report.chunks[entry.chunk]?.SessionNo ?? null;
  for (const e of report.accepted) add(e, "accepted", sessionOf(e));
  for (const e of report.failed) add(e, "failed", sessionOf(e));
  for (const e of report.unknown) add(e, "unknown");
  for (const e of report.notAttempted) add(e, "not_attempted");
  for (const e of report.suppressed) add(e, "suppressed");
  for (const d of report.duplicates) {
    const at = /^TaskContent\[(\d+)\]\.Target\[(\d+)\]/.exec(d.path);
    const task = at ? run.request.TaskContent[Number(at[1])] : null;
    const target = task?.Target[Number(at[2])];
    add({ path: d.path, Phone: target?.Phone ?? "", UserId: target?.UserId, TemplateId: task?.TemplateId ?? "",
      reason: `repeats line ${run.lineOfPath(d.duplicateOf) ?? "?"}` }, "repeat");
  }
  return rows.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

export function toCsv(run) {
  const lines = [COLUMNS.join(",")];
  for (const row of resultRows(run)) lines.push(COLUMNS.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function toJson(run) {
  return JSON.stringify({
    send: run.number, kind: run.kind, resendOf: run.of, startedAt: run.startedAt.toISOString(),
    rows: resultRows(run), report: run.report, delivery: run.delivery ?? null,
  }, null, 2);
}

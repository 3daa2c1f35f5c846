// Checks the campaign with the package's validateBatch and maps its findings
// back to what the operator sees: form fields and line numbers. No rule lives
// here; this module only decides where each finding is shown.
import { validateBatch } from "uspeedo-sms";
import { buildRequest } from "./recipients.js";

// validateBatch keeps the first 100 errors in full and counts the rest. To
// mark every bad line, the rows after the last one reported are checked again
// in windows; per-row rules do not depend on other rows (duplicates, which
// do, are warnings and come from the whole-batch pass). Past this many errors
// the operator has a different problem than a list can solve.
const MAX_LISTED_ERRORS = 1000;
const WINDOW_ROWS = 500;

const TARGET_PATH = /^TaskContent\[0\]\.Target\[(\d+)\](?:\.(.+))?$/;
const TARGET_IN_TEXT = /TaskContent\[0\]\.Target\[(\d+)\]/g;

/** "TemplateParams[1]" -> "parameter 2": the operator never sees uSpeedo's field names. */
export function fieldLabel(field) {
  if (!field) return "recipient";
  if (field === "Phone") return "phone";
  if (field === "UserId") return "user ID";
  if (field === "ExtendCode") return "extension code";
  const param = /^TemplateParams\[(\d+)\]$/.exec(field);
  if (param) return `parameter ${Number(param[1]) + 1}`;
  if (field === "TemplateParams") return "parameters";
  return field;
}

/** Replaces `TaskContent[0].Target[7]` inside a message with "line 12". */
export function withLineNumbers(message, rows) {
  return message.replace(TARGET_IN_TEXT, (match, index) => {
    const row = rows[Number(index)];
    return row ? `line ${row.line}` : match;
  });
}

/** Which form control a request-level path belongs to. */
function formFieldOf(path) {
  if (path.endsWith(".TemplateId")) return "templateId";
  if (path.endsWith(".SenderId")) return "senderId";
  return "recipients"; // TaskContent[0].Target (empty), TOO_MANY_TARGETS, …
}

function validate(form, rows) {
  const templates = form.templateText ? { [form.templateId]: form.templateText } : undefined;
  return validateBatch(buildRequest(form, rows), { maxTargets: null, templates });
}

/** Every error, not just the first 100 (up to MAX_LISTED_ERRORS), with paths relative to all rows. */
function allErrors(form, rows, whole) {
  const seen = new Set();
  const errors = [];
  const add = (issue, offset) => {
    const match = TARGET_PATH.exec(issue.path);
    const path = match ? `TaskContent[0].Target[${Number(match[1]) + offset}]${match[2] ? `.${match[2]}` : ""}` : issue.path;
    // Paths inside messages are window-relative too.
    const message = issue.message.replace(TARGET_IN_TEXT, (_, index) => `TaskContent[0].Target[${Number(index) + offset}]`);
    const key = `${path} ${issue.code} ${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ ...issue, path, message });
  };
  whole.errors.forEach((issue) => add(issue, 0));
  if (whole.errorCount <= whole.errors.length) return errors;

  // Continue from the last row the whole-batch pass reported (it may have had
  // more findings than fitted), window by window.
  let start = lastRowIndex(whole.errors) ?? 0;
  while (start < rows.length && errors.length < MAX_LISTED_ERRORS) {
    const window = rows.slice(start, start + WINDOW_ROWS);
    const result = validate(form, window);
    result.errors.forEach((issue) => add(issue, start));
    const truncated = result.errorCount > result.errors.length;
    const last = lastRowIndex(result.errors);
    // A truncated window resumes at its last reported row; a complete one moves on.
    start = truncated && last !== null && last > 0 ? start + last : start + window.length;
  }
  return errors;
}

function lastRowIndex(issues) {
  let last = null;
  for (const issue of issues) {
    const match = TARGET_PATH.exec(issue.path);
    if (match) last = Number(match[1]);
  }
  return last;
}

/**
 * Checks the form and rows. Returns:
 * - `ok`, `errorCount`, `warningCount` (the package's own totals),
 * - `fields`: `{ templateId, senderId, recipients }` -> messages for those controls,
 * - `issues`: `{ severity, line, rowIndex, field, code, message }` in line order,
 * - `lines`: line number -> "error" | "warning" (for the gutter marks),
 * - `listedErrors`, `listedWarnings`: how many of the totals are itemised,
 * - `normalized`: the request as the package will send it (phones in (CC) form), when ok.
 */
export function checkCampaign(form, rows) {
  const whole = validate(form, rows);
  const errors = allErrors(form, rows, whole);
  const fields = { templateId: [], senderId: [], recipients: [] };
  const issues = [];
  const lines = new Map();

  const place = (issue, severity) => {
    const match = TARGET_PATH.exec(issue.path);
    const row = match ? rows[Number(match[1])] : undefined;
    const message = withLineNumbers(issue.message, rows);
    if (!row) {
      fields[formFieldOf(issue.path)].push(message);
      return;
    }
    issues.push({ severity, line: row.line, rowIndex: Number(match[1]), field: fieldLabel(match[2]), code: issue.code, message });
    if (lines.get(row.line) !== "error") lines.set(row.line, severity);
  };
  errors.forEach((issue) => place(issue, "error"));
  whole.warnings.forEach((issue) => place(issue, "warning"));
  issues.sort((a, b) => a.line - b.line || (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));

  return {
    ok: whole.ok,
    errorCount: whole.errorCount,
    warningCount: whole.warningCount,
    listedErrors: errors.length,
    listedWarnings: whole.warnings.length,
    fields,
    issues,
    lines,
    normalized: whole.normalized,
  };
}

// Shows a checkCampaign result: totals, the findings list (each with a button
// that jumps to its line), marks beside the recipients' lines, and messages
// under the form fields they concern.
import { byId, count, el, plural } from "./dom.js";

const FIELD_CONTROLS = {
  templateId: ["template-id", "template-id-error"],
  senderId: ["sender-id", "sender-id-error"],
  recipients: ["recipients", "recipients-error"],
};

export function createValidationView({ onJump }) {
  const summary = byId("check-summary");
  const detail = byId("check-detail");
  const list = byId("issue-list");
  const note = byId("issue-note");
  const gutter = byId("gutter");
  const recipients = byId("recipients");

  // The gutter scrolls with the textarea; it is decoration (aria-hidden), the
  // list below says the same for screen readers and keyboards.
  recipients.addEventListener("scroll", () => {
    gutter.scrollTop = recipients.scrollTop;
  });

  // Line numbers are one text block (100,000 lines as 100,000 elements took
  // seconds to lay out); only the marked lines get an element, placed over
  // their number.
  function renderGutter(lineCount, marks = new Map()) {
    const numbers = Array.from({ length: Math.max(lineCount, 1) }, (_, i) => i + 1).join("\n");
    const overlays = [...marks].map(([line, mark]) =>
      el("div", { className: `gutter-line gutter-mark is-${mark}`, style: `top: calc(${line - 1} * var(--editor-line))` }, String(line)));
    gutter.replaceChildren(
      el("div", { className: "gutter-body" }, el("div", { className: "gutter-numbers" }, numbers), ...overlays),
      // Room for the textarea's horizontal scrollbar, so the last lines stay aligned.
      el("div", { className: "gutter-end" }),
    );
    gutter.scrollTop = recipients.scrollTop;
  }

  function renderFields(fields = { templateId: [], senderId: [], recipients: [] }) {
    for (const [key, [controlId, errorId]] of Object.entries(FIELD_CONTROLS)) {
      const messages = fields[key];
      byId(errorId).textContent = messages.join("; ");
      if (messages.length) byId(controlId).setAttribute("aria-invalid", "true");
      else byId(controlId).removeAttribute("aria-invalid");
    }
  }

  function issueItem(issue) {
    return el("li", { className: `issue is-${issue.severity}` },
      el("button", { type: "button", className: "issue-line", dataset: { line: issue.line }, onclick: () => onJump(issue.line) },
        `Line ${issue.line}`),
      el("span", { className: "issue-kind" }, issue.severity === "error" ? "Error" : "Warning"),
      el("span", { className: "issue-text" }, `${issue.field}: ${issue.message}`),
    );
  }

  return {
    /** Nothing to check yet (no recipients). */
    renderEmpty(lineCount) {
      summary.textContent = "No recipients yet.";
      detail.textContent = "Paste recipients, load a CSV file, or use the example.";
      list.replaceChildren();
      note.textContent = "";
      renderFields();
      renderGutter(lineCount);
    },

    /** A long list is being checked (the check runs after the page has painted this). */
    renderBusy(rowCount) {
      summary.textContent = `Checking ${plural(rowCount, "recipient")}…`;
      summary.className = "check-summary";
      detail.textContent = "";
    },

    render(result, { rows, lineCount, header }) {
      const { errorCount, warningCount } = result;
      const parts = [plural(rows.length, "recipient")];
      parts.push(plural(errorCount, "error"));
      if (warningCount) parts.push(plural(warningCount, "duplicate warning"));
      summary.textContent = parts.join(" · ");
      summary.className = errorCount ? "check-summary is-error" : "check-summary is-ok";
      const headerText = header ? ` Columns from the header on line ${header.line}: ${header.columns.join(", ")}.` : "";
      detail.textContent = (errorCount
        ? "Fix the errors to send: use a line button below to jump to the line."
        : warningCount
          ? "Ready to send. Duplicates are sent once when “Skip repeated numbers” is on."
          : "Ready to send.") + headerText;

      list.replaceChildren(...result.issues.map(issueItem));
      const notes = [];
      const unlistedErrors = errorCount - result.listedErrors;
      if (unlistedErrors > 0) notes.push(`${plural(unlistedErrors, "more error")} not listed; fix these first.`);
      if (warningCount > result.listedWarnings) {
        notes.push(`The first ${count(result.listedWarnings)} of ${plural(warningCount, "duplicate warning")} are listed.`);
      }
      note.textContent = notes.join(" ");
      renderFields(result.fields);
      renderGutter(lineCount, result.lines);
    },
  };
}

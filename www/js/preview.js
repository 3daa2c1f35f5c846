// The rendered message for one recipient line: text, characters, encoding and
// SMS parts, all from the package's previewMessage (uSpeedo's counting rules
// live there, including GSM-7 extension characters and part sizes).
import { previewMessage } from "uspeedo-sms";
import { byId, count, el, plural } from "./dom.js";

/**
 * Wires the preview box. `update({ templateText, rows })` re-renders for the
 * line chosen in the "line" field (the first recipient when it names none).
 */
export function createPreview() {
  const lineInput = byId("preview-line");
  const text = byId("preview-text");
  const facts = byId("preview-facts");
  let state = { templateText: "", rows: [] };

  function rowForLine() {
    const { rows } = state;
    const wanted = Number(lineInput.value);
    if (!lineInput.value || !Number.isInteger(wanted)) return rows[0] ?? null;
    // The field holds a line number; blank and comment lines have no row.
    return rows.find((row) => row.line === wanted) ?? null;
  }

  function render() {
    facts.replaceChildren();
    text.classList.remove("is-empty");
    if (!state.templateText) {
      text.classList.add("is-empty");
      text.textContent = "Enter the template text above to preview messages.";
      return;
    }
    const row = rowForLine();
    if (!row) {
      text.classList.add("is-empty");
      text.textContent = state.rows.length ? `Line ${lineInput.value} holds no recipient.` : "Add recipients to preview their message.";
      return;
    }
    let preview;
    try {
      preview = previewMessage(state.templateText, row.params);
    } catch (error) {
      text.textContent = error.message;
      return;
    }
    text.textContent = preview.text;
    const limit = preview.encoding === "GSM-7" ? "160 per single SMS, 154 per part" : "70 per single SMS, 67 per part";
    facts.append(
      el("li", {}, `Line ${row.line} · ${row.phone || "(no phone)"}`),
      el("li", {}, plural(preview.characters, "character")),
      el("li", { title: `${count(preview.units)} encoding units; ${limit}` }, `${preview.encoding} (${count(preview.units)} units)`),
      el("li", { className: preview.segments > 1 ? "fact-note" : "" }, plural(preview.segments, "SMS part")),
    );
    if (preview.missingParams.length) {
      const names = preview.missingParams.map((n) => `{${n}}`).join(", ");
      facts.append(el("li", { className: "fact-bad" }, `No value for ${names}`));
    }
    if (preview.tooLong) facts.append(el("li", { className: "fact-bad" }, "Longer than uSpeedo's 500 characters"));
  }

  lineInput.addEventListener("input", render);
  return {
    update(next) {
      state = next;
      render();
    },
    /** Shows a given line (e.g. the one an issue points at). */
    showLine(line) {
      lineInput.value = String(line);
      render();
    },
  };
}

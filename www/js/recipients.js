// Recipients as the operator pastes them (or a CSV file holds them) -> the
// request shape uSpeedo takes. Only the text format is the page's business:
// whether a phone or a parameter is acceptable is decided by the package.
//
// Format: one recipient per line, "phone, parameter 1, parameter 2, …".
// An optional header line starting with "phone" names the columns; a column
// named "user_id" (or "userid", "user id") becomes the UserId that uSpeedo
// hands back in receipts. Cells may be quoted ("Smith, J."); a quoted cell
// cannot span lines, because every line is one recipient with a line number.
// Blank lines and lines starting with "#" are skipped.

const USER_ID_COLUMNS = new Set(["user_id", "userid", "user id"]);

/** The delimiter of the whole text: a spreadsheet paste has tabs, some locales' CSV has ";". */
export function detectDelimiter(firstLine) {
  if (firstLine.includes("\t")) return "\t";
  if (firstLine.includes(";") && !firstLine.includes(",")) return ";";
  return ",";
}

/**
 * Splits one line into cells. Unquoted cells are trimmed (spaces after commas
 * are layout); quoted cells are kept exactly, so deliberate whitespace still
 * reaches the package and is reported there.
 */
export function splitCells(line, delimiter) {
  const cells = [];
  let i = 0;
  for (;;) {
    while (line[i] === " " && delimiter !== " ") i++;
    if (line[i] === '"') {
      let value = "";
      i++;
      for (; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i++;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i];
      }
      // Anything between the closing quote and the delimiter is kept, not dropped.
      const next = line.indexOf(delimiter, i);
      const rest = line.slice(i, next === -1 ? line.length : next).trim();
      cells.push(value + rest);
      if (next === -1) break;
      i = next + delimiter.length;
    } else {
      const next = line.indexOf(delimiter, i);
      cells.push(line.slice(i, next === -1 ? line.length : next).trim());
      if (next === -1) break;
      i = next + delimiter.length;
    }
  }
  return cells;
}

/**
 * Parses the recipients text. Returns `{ rows, header, lineCount }`; each row
 * is `{ line, phone, params, userId }` with its 1-based line number, so every
 * finding can be pointed back at the line the operator typed.
 */
export function parseRecipients(text) {
  const lines = text.split(/\r\n|\n|\r/);
  const rows = [];
  let header = null;
  let delimiter = null;
  let userIdColumn = -1;
  lines.forEach((raw, index) => {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    delimiter ??= detectDelimiter(raw);
    const cells = splitCells(raw, delimiter);
    if (rows.length === 0 && header === null && /^phone\b/i.test(cells[0])) {
      header = { line: index + 1, columns: cells };
      userIdColumn = cells.findIndex((name) => USER_ID_COLUMNS.has(name.trim().toLowerCase()));
      return;
    }
    const params = [];
    let userId;
    cells.slice(1).forEach((cell, column) => {
      if (column + 1 === userIdColumn) userId = cell;
      else params.push(cell);
    });
    rows.push({ line: index + 1, phone: cells[0], params, userId });
  });
  return { rows, header, lineCount: lines.length };
}

/**
 * The SendBatchUSMSMessage request for these rows: one task, targets in row
 * order, so `TaskContent[0].Target[i]` is `rows[i]`. Empty optional fields are
 * left out (uSpeedo's documented form), nothing else is changed.
 */
export function buildRequest({ templateId, senderId }, rows) {
  const task = { TemplateId: templateId };
  if (senderId !== "") task.SenderId = senderId;
  task.Target = rows.map((row) => {
    const target = { Phone: row.phone };
    if (row.params.length > 0) target.TemplateParams = row.params;
    if (row.userId !== undefined && row.userId !== "") target.UserId = row.userId;
    return target;
  });
  return { TaskContent: [task] };
}

/** Character offsets of a 1-based line in the text, to select it in the textarea. */
export function lineRange(text, line) {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf("\n", start);
    if (next === -1) return { start: text.length, end: text.length };
    start = next + 1;
  }
  let end = text.indexOf("\n", start);
  if (end === -1) end = text.length;
  if (text[end - 1] === "\r") end--;
  return { start, end };
}

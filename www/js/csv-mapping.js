// Column mapping for CSV files in someone else's layout (an export from a
// CRM: "Name;Mobile;Order;Customer ID"): the operator says which column is
// the phone, which are the template's parameters (in order) and which is the
// user id; the page rewrites the file into its own "phone, parameters…,
// user_id" lines. The choice is remembered for the next file with the same
// header. Whether a value is acceptable is still the package's business.
import { byId, el } from "./dom.js";
import { detectDelimiter, splitCells } from "./recipients.js";

const STORE_PREFIX = "uspeedo-demo-mapping:";
const PHONE = /phone|mobile|msisdn|cell|tel|number/i;
const USER_ID = /user.?id|customer.?id|client.?id|^id$/i;

const isComment = (line) => line.trim() === "" || line.trimStart().startsWith("#");

/**
 * The header of `text` when it needs mapping: its first line names columns
 * (no cell looks like a phone number) and is not the page's own format.
 */
export function headerToMap(text) {
  const first = text.split(/\r\n|\n|\r/, 50).find((line) => !isComment(line));
  if (!first) return null;
  const delimiter = detectDelimiter(first);
  const columns = splitCells(first, delimiter);
  if (/^phone\b/i.test(columns[0] ?? "")) return null; // the page's own header
  if (columns.some((cell) => (cell.match(/\d/g) ?? []).length >= 6)) return null; // data, no header
  return { columns, delimiter };
}

const storeKey = (columns) => STORE_PREFIX + columns.map((c) => c.trim().toLowerCase()).join("\u0001");

/** The remembered mapping for this header, or a guess from the column names. */
export function mappingFor(columns) {
  try {
    const saved = JSON.parse(localStorage.getItem(storeKey(columns)) ?? "null");
    if (saved && Number.isInteger(saved.phone)) return { ...saved, remembered: true };
  } catch {
    // A damaged entry is ignored: the guess below stands.
  }
  const phone = Math.max(0, columns.findIndex((c) => PHONE.test(c)));
  const userId = columns.findIndex((c, i) => i !== phone && USER_ID.test(c));
  const params = columns.map((_, i) => i).filter((i) => i !== phone && i !== userId);
  return { phone, userId, params, remembered: false };
}

export function rememberMapping(columns, { phone, userId, params }) {
  try {
    localStorage.setItem(storeKey(columns), JSON.stringify({ phone, userId, params }));
  } catch {
    // Private windows may refuse storage: mapping still works, it is just not remembered.
  }
}

/** A cell written for the page's own comma format. */
function cell(value = "") {
  return /[",]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

/** `text` in the page's own format, by `mapping` ({ phone, userId, params }). */
export function applyMapping(text, { columns, delimiter }, { phone, userId, params }) {
  const out = [["phone", ...params.map((i) => cell(columns[i])), ...(userId >= 0 ? ["user_id"] : [])].join(",")];
  let headerSeen = false;
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (isComment(line)) continue;
    if (!headerSeen) {
      headerSeen = true; // the header line itself
      continue;
    }
    const cells = splitCells(line, delimiter);
    const row = [cell(cells[phone]), ...params.map((i) => cell(cells[i])), ...(userId >= 0 ? [cell(cells[userId])] : [])];
    out.push(row.join(","));
  }
  return out.join("\n");
}

/**
 * The mapping panel: `show(text, header)` asks the operator; `onApply(text)`
 * gets the rewritten recipients.
 */
export function createMappingView({ onApply }) {
  const panel = byId("csv-mapping");
  const body = byId("csv-mapping-body");
  const error = byId("csv-mapping-error");
  let pending = null;

  function roleOptions(count, selected) {
    const options = [["", "not used"], ["phone", "Phone"], ["user", "User ID"],
      ...Array.from({ length: count - 1 }, (_, n) => [`param:${n}`, `Parameter ${n + 1} ({${n + 1}})`])];
    return options.map(([value, label]) => el("option", { value, selected: value === selected }, label));
  }

  function show(text, header) {
    const mapping = mappingFor(header.columns);
    const sample = splitCells(text.split(/\r\n|\n|\r/).filter((l) => !isComment(l))[1] ?? "", header.delimiter);
    pending = { text, header };
    const roleOf = (i) => (i === mapping.phone ? "phone" : i === mapping.userId ? "user"
      : mapping.params.includes(i) ? `param:${mapping.params.indexOf(i)}` : "");
    body.replaceChildren(...header.columns.map((name, i) => el("div", { className: "mapping-row" },
      el("label", { htmlFor: `map-${i}` }, name || `column ${i + 1}`),
      el("select", { id: `map-${i}`, dataset: { column: i } }, roleOptions(header.columns.length, roleOf(i))),
      el("span", { className: "hint" }, sample[i] ? `e.g. ${sample[i]}` : ""),
    )));
    byId("csv-mapping-note").textContent = mapping.remembered
      ? "Columns as you mapped them last time for this header."
      : "Columns guessed from their names: check them.";
    error.textContent = "";
    panel.hidden = false;
    body.querySelector("select")?.focus();
  }

  byId("csv-mapping-apply").addEventListener("click", () => {
    if (!pending) return;
    const roles = [...body.querySelectorAll("select")].map((s) => s.value);
    const phones = roles.flatMap((r, i) => (r === "phone" ? [i] : []));
    const users = roles.flatMap((r, i) => (r === "user" ? [i] : []));
    const params = roles.flatMap((r, i) => (r.startsWith("param:") ? [[Number(r.slice("param:".length)), i]] : []))
      .sort((a, b) => a[0] - b[0]);
    const numbers = params.map(([n]) => n);
    if (phones.length !== 1) return (error.textContent = "Choose exactly one phone column.");
    if (users.length > 1) return (error.textContent = "Choose at most one user ID column.");
    if (new Set(numbers).size !== numbers.length || numbers.some((n, i) => n !== i)) {
      return (error.textContent = "Give parameters 1, 2, … one column each, without gaps.");
    }
    const mapping = { phone: phones[0], userId: users[0] ?? -1, params: params.map(([, i]) => i) };
    rememberMapping(pending.header.columns, mapping);
    const text = applyMapping(pending.text, pending.header, mapping);
    pending = null;
    panel.hidden = true;
    onApply(text);
  });
  byId("csv-mapping-cancel").addEventListener("click", () => {
    pending = null;
    panel.hidden = true;
  });

  return { show };
}

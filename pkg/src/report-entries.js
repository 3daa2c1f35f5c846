// A bulk report's entries from the rows the wasm writes (src/wasm/entries.rs):
// `width`, then runs of one TemplateId, chunk and task, each `TemplateId,
// chunk, task, n` and n rows of `width` values: the target's index in its
// task, Phone, then UserId or null (width 3 or more) and reason or null
// (width 4). Object literals of BulkEntry's shape and field order are made
// here, instead of JSON.parse of the entries as objects: for 1,000 entries
// that measured ~0.8-1 ms in Node, two thirds of the per-chunk cost of a
// sendBulk; this way ~0.18 ms. The path is put together from the task and
// the index. It only lays values out: which entry is in which bucket the
// wasm has decided.

/** The entries as objects; undefined when `rows` is not such an array. */
export function entryObjects(rows) {
  if (!Array.isArray(rows)) return undefined;
  const width = rows[0];
  if (width !== 2 && width !== 3 && width !== 4) return undefined;
  const out = [];
  let at = 1;
  while (at < rows.length) {
    const TemplateId = rows[at];
    const chunk = rows[at + 1];
    const prefix = `TaskContent[${rows[at + 2]}].Target[`;
    const n = rows[at + 3];
    at += 4;
    if (at + n * width > rows.length) return undefined;
    for (let k = 0; k < n; k++, at += width) {
      const entry = { path: `${prefix}${rows[at]}]`, TemplateId, Phone: rows[at + 1] };
      if (width > 2 && rows[at + 2] !== null) entry.UserId = rows[at + 2];
      entry.chunk = chunk;
      if (width > 3 && rows[at + 3] !== null) entry.reason = rows[at + 3];
      out.push(entry);
    }
  }
  return out;
}

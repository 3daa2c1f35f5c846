// One result row: a figure, our number, the baseline's, their ratio, the
// target and whether it is met. The same object is printed and written to
// results.json, so the table and the file can never disagree.

const KB = 1024;
const MiB = 1024 * 1024;

export function formatValue(value, unit) {
  if (value == null || Number.isNaN(value)) return "—";
  switch (unit) {
    case "B": return value >= KB ? `${(value / KB).toFixed(1)} KB` : `${value} B`;
    case "MiB": return `${(value / MiB).toFixed(1)} MiB`;
    case "ms": return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
    default: return `${value} ${unit}`;
  }
}

/** "7.10 ms (p90 7.90, min 6.80)" for a timing summary. */
export function formatTiming(summary) {
  return `${formatValue(summary.median, "ms")} (p90 ${formatValue(summary.p90, "ms")}, min ${formatValue(summary.min, "ms")})`;
}

function targetText(target, unit) {
  if (!target) return "—";
  if (target.maxRatio != null) return `ratio ≤ ${target.maxRatio.toFixed(2)}`;
  if (target.maxAdded != null) return `≤ +${formatValue(target.maxAdded, unit)}`;
  if (target.maxValue != null) return `≤ ${formatValue(target.maxValue, unit)}`;
  return target.text ?? "—";
}

function isMet(target, ours, baseline, ratio, added) {
  if (!target || ours == null) return null;
  if (target.maxRatio != null) return ratio != null && ratio <= target.maxRatio;
  if (target.maxAdded != null) return baseline != null && (added ?? ours - baseline) <= target.maxAdded;
  if (target.maxValue != null) return ours <= target.maxValue;
  return null;
}

/**
 * `ours`/`baseline`: the compared numbers (for timings the medians), in
 * `unit`. `oursText`/`baselineText` override the printed cells (to add
 * p90/min or raw/brotli); `baselineName` says what the baseline is.
 * `added`: what ours adds to the baseline when measured in pairs (checked
 * against a `maxAdded` target instead of the difference of the medians).
 */
export function makeRow({ id, figure, unit, ours, baseline = null, baselineName = null, oursText, baselineText, target = null, added = null, details = {} }) {
  const ratio = ours != null && baseline ? ours / baseline : null;
  return {
    id,
    figure,
    unit,
    ours,
    oursText: oursText ?? formatValue(ours, unit),
    baseline,
    baselineName,
    baselineText: baseline == null ? "—" : `${baselineName ? `${baselineName}: ` : ""}${baselineText ?? formatValue(baseline, unit)}`,
    ratio: ratio == null ? null : Number(ratio.toFixed(3)),
    target: targetText(target, unit),
    targetSpec: target,
    met: isMet(target, ours, baseline, ratio, added),
    ...(added == null ? {} : { added: Number(added.toFixed(3)) }),
    details,
  };
}

/** A timing row from two `compare()` summaries. */
export function timingRow({ id, figure, ours, baseline, baselineName, target, added = null, details = {} }) {
  return makeRow({
    id, figure, unit: "ms", target, baselineName, added,
    ours: ours.median, oursText: `${formatTiming(ours)}${added == null ? "" : `, +${formatValue(added, "ms")} paired`}`,
    baseline: baseline?.median ?? null, baselineText: baseline ? formatTiming(baseline) : undefined,
    details: { ours, baseline, ...details },
  });
}

/** The one table: figure | ours | baseline | ratio | target | met? */
export function printTable(rows, write = (line) => console.log(line)) {
  const header = ["figure", "ours", "baseline", "ratio", "target", "met?"];
  const cells = rows.map((r) => [
    r.figure, r.oursText, r.baselineText, r.ratio == null ? "—" : `${r.ratio.toFixed(2)}×`, r.target,
    r.met == null ? "—" : r.met ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  write(line(header));
  write(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) write(line(c));
}

// Timing: warm-up runs, then measured runs, reported as median, p90 and
// min. When a module compares two implementations, their runs alternate so a
// slow phase of the machine hits both alike.
import { performance } from "node:perf_hooks";

/** Collects garbage when Node runs with --expose-gc, so one run's garbage is not billed to the next. */
export function collectGarbage() {
  globalThis.gc?.();
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    median: sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
    p90: at(0.9),
    min: sorted[0],
    max: sorted.at(-1),
    runs: sorted.length,
  };
}

/** A case is a function, or { run, check }: `check` runs after the clock stops (verifying is not the work measured). */
async function timeOnce(test, gcFirst) {
  const { run, check } = typeof test === "function" ? { run: test } : test;
  if (gcFirst) collectGarbage();
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  await check?.(result);
  return ms;
}

/**
 * Times each of `cases` ({ name: fn or { run, check } }) `iterations` times after `warmup`
 * untimed runs, interleaved. `fn` may be sync or async. Returns
 * { name: summary } in milliseconds. `gcFirst` forces a full GC before each
 * timed run: right for runs that leave 100 MB of garbage, wrong for
 * millisecond runs (a forced full GC every few ms makes V8 slower, not
 * fairer: their GC cost is part of the figure).
 */
export async function compare(cases, { warmup, iterations, gcFirst = false }) {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < warmup; i++) for (const name of names) await timeOnce(cases[name], false);
  for (let i = 0; i < iterations; i++) {
    // Rotate the order so neither side always runs first.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      samples[name].push(await timeOnce(cases[name], gcFirst));
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(samples[name])]));
}

// 5. Memory: wasm linear memory (wasmMemoryBytes()) and process RSS before
// and after 10 repeated 100,000-number jobs, each job in a fresh process, and
// once the process has been idle a moment after them. Target: no growth after
// the first run (a wasm memory never shrinks while its instance lives, so any
// growth there is a leak or fragmentation; RSS gets 5% for allocator noise);
// once idle, the package has replaced its instance and RSS is compared with
// the plain-JS client's (issue 11: <= 1.2x).
import { join } from "node:path";
import { exec, progress, runAsChild } from "./lib/child.mjs";
import { BENCH_DIR } from "./lib/fixtures.mjs";
import { makeRow } from "./lib/rows.mjs";

const PROBE = join(BENCH_DIR, "lib", "memory-probe.mjs");
const RUNS = 10;

async function probe(variant) {
  progress(`memory: ${variant}, ${RUNS} runs of 100,000 numbers in a fresh process`);
  const { code, stdout, stderr } = await exec(process.execPath, ["--expose-gc", PROBE, variant, String(RUNS)], { timeoutMs: 300_000 });
  if (code !== 0) throw new Error(`memory probe ${variant} exited ${code}: ${stderr}`);
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

function growthRows(result, plainResult, what) {
  const first = result.after[0];
  const last = result.after.at(-1);
  const series = (key) => ({ before: result.before[key], after: result.after.map((s) => s[key]) });
  return [
    makeRow({
      id: `memory.${what}.held`, figure: `memory: wasm linear memory kept after one ${what} (vs fresh instance)`, unit: "MiB",
      ours: first.wasm, baseline: result.before.wasm, baselineName: "fresh",
      details: { wasmResident: series("wasmResident") },
    }),
    makeRow({
      id: `memory.${what}.wasm`, figure: `memory: wasm linear memory, ${what} ×${RUNS} (run ${RUNS} vs run 1)`, unit: "MiB",
      ours: last.wasm, baseline: first.wasm, baselineName: "after run 1", target: { maxRatio: 1.0 },
      details: series("wasm"),
    }),
    makeRow({
      id: `memory.${what}.rss`, figure: `memory: process RSS, ${what} ×${RUNS} (run ${RUNS} vs run 1)`, unit: "MiB",
      ours: last.rss, baseline: first.rss, baselineName: "after run 1", target: { maxRatio: 1.05 },
      details: { rss: series("rss"), heapTotal: series("heapTotal"), heapUsed: series("heapUsed"), wasmResident: series("wasmResident") },
    }),
    makeRow({
      id: `memory.${what}.rss-vs-plain`, figure: `  RSS after ${what} ×${RUNS}, vs the plain-JS client`, unit: "MiB",
      ours: last.rss, baseline: plainResult.after.at(-1).rss, baselineName: "plain JS",
      details: { oursBefore: result.before.rss, plainBefore: plainResult.before.rss, plain: plainResult.after.map((s) => s.rss) },
    }),
    makeRow({
      id: `memory.${what}.idle-wasm`, figure: `  wasm linear memory once idle after ${what} ×${RUNS} (vs fresh instance)`, unit: "MiB",
      ours: result.idle.wasm, baseline: result.before.wasm, baselineName: "fresh",
      details: { wasmResident: result.idle.wasmResident },
    }),
    makeRow({
      id: `memory.${what}.idle-rss-vs-plain`, figure: `  RSS once idle after ${what} ×${RUNS}, vs the plain-JS client`, unit: "MiB",
      ours: result.idle.rss, baseline: plainResult.idle.rss, baselineName: "plain JS", target: { maxRatio: 1.2 },
      details: { ours: result.idle, plain: plainResult.idle },
    }),
  ];
}

export async function measure() {
  const rows = [];
  for (const [what, ours, plain] of [["planBulk", "ours-plan", "plain-plan"], ["sendBulk (canned fetch)", "ours-send", "plain-send"]]) {
    rows.push(...growthRows(await probe(ours), await probe(plain), what));
  }
  return { rows };
}

await runAsChild(measure);

// For a missed target: runs the same workload under `node --cpu-prof` and
// summarises where the time goes, by kind (wasm code, JS glue, JSON, GC,
// Node internals) and by the top frames' self time. Wasm frames are
// anonymous (the build strips the name section), so they are counted as one.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { exec } from "./lib/child.mjs";
import { BENCH_DIR, DIST } from "./lib/fixtures.mjs";

/** Which workload explains which row. */
export const WORKLOAD_OF_ROW = {
  "prepare.1k.vs-plain": "prepare-1k",
  "prepare.100k.plan": "plan-100k",
  "prepare.100k.all-chunks": "send-canned-100k",
  "bulk.vs-raw-fetch": "send-mock-100k",
  "startup.node.process": "startup",
};

function kindOf({ functionName, url }) {
  if (url.startsWith("wasm://") || /^(wasm-function|\$)/.test(functionName)) return "wasm (Rust core)";
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "idle (waiting for I/O)";
  if (functionName === "(program)") return "V8/native (program)";
  if (url.includes(DIST)) return "package JS glue (incl. JSON.parse/stringify, TextEncoder/Decoder)";
  if (url.startsWith("node:")) return "Node internals (fetch, streams, timers)";
  return "benchmark & other JS";
}

const labelOf = ({ functionName, url, lineNumber }) =>
  `${functionName || "(anonymous)"} ${url ? `${basename(url)}:${lineNumber + 1}` : ""}`.trim();

/**
 * Self time per frame and per kind, and total (inclusive) time per frame:
 * the time spent in a function and everything it called, each sample
 * counted once per function however deep the recursion.
 */
export function summarizeProfile(profile, top = 10) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const frames = new Map();
  const inclusive = new Map();
  const kinds = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id);
    const label = labelOf(callFrame);
    frames.set(label, (frames.get(label) ?? 0) + us);
    const kind = kindOf(callFrame);
    kinds.set(kind, (kinds.get(kind) ?? 0) + us);
    total += us;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(labelOf(nodes.get(at).callFrame));
    for (const l of seen) inclusive.set(l, (inclusive.get(l) ?? 0) + us);
  }
  const pct = (us) => Number(((100 * us) / total).toFixed(1));
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: Math.round(total / 1000),
    byKind: Object.fromEntries(sorted(kinds).map(([k, us]) => [k, pct(us)])),
    topFrames: sorted(frames).slice(0, top).map(([frame, us]) => ({ frame, selfPct: pct(us) })),
    // The call tree's heavy branches; the roots (100%) are left out.
    topInclusive: sorted(inclusive).filter(([, us]) => us < total * 0.98).slice(0, top * 4).map(([frame, us]) => ({ frame, totalPct: pct(us) })),
  };
}

export async function profileWorkload(workload) {
  const dir = mkdtempSync(join(tmpdir(), "uspeedo-bench-prof-"));
  try {
    const args = ["--cpu-prof", "--cpu-prof-dir", dir, join(BENCH_DIR, "lib", "profile-workload.mjs"), workload];
    const { code, stderr } = await exec(process.execPath, args, { timeoutMs: 300_000 });
    if (code !== 0) throw new Error(`profiling ${workload} failed: ${stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    return { workload, ...summarizeProfile(JSON.parse(readFileSync(join(dir, file), "utf8"))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per profile: the kinds, the heaviest frames, and the calls that hold a share of the time. */
export function describeProfile(p) {
  const kinds = Object.entries(p.byKind).slice(0, 4).map(([k, v]) => `${k} ${v}%`).join(", ");
  const frames = p.topFrames.slice(0, 5).map((f) => `${f.frame} ${f.selfPct}%`).join("; ");
  // Calls between the wrappers (~everything) and the leaves: e.g. bulkjob_prepareChunk, reportJson.
  const calls = p.topInclusive.filter((f) => f.totalPct < 60 && f.totalPct >= 3 && !/multivalue shim|^\(|^wasm-function|^js-to-wasm|profile-workload/.test(f.frame));
  const held = calls.slice(0, 8).map((f) => `${f.frame} ${f.totalPct}%`).join("; ");
  return `${p.workload} (${p.totalMs} ms profiled): ${kinds}. Top self time: ${frames}.${held ? ` Calls holding the time: ${held}.` : ""}`;
}

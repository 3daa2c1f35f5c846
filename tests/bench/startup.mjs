// 4. Start-up: the time to import and instantiate the package in a fresh
// Node process and in workerd (through miniflare), against importing an
// empty module; and the first prepare call after import, against the same
// call of the plain-JS baseline (Node) or a Worker that only parses the
// same body (workerd).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exec, progress, runAsChild } from "./lib/child.mjs";
import { BENCH_DIR, DIST, KEYS, UNUSED_BASE_URL, makeRequest } from "./lib/fixtures.mjs";
import { makeRow, timingRow } from "./lib/rows.mjs";
import { summarize } from "./lib/stats.mjs";

const PROBE = join(BENCH_DIR, "lib", "startup-probe.mjs");
const NODE_TARGET_ADDED_MS = 15;

async function probe(variant) {
  const { code, stdout, stderr, ms } = await exec(process.execPath, [PROBE, variant], { timeoutMs: 30_000 });
  if (code !== 0) throw new Error(`startup probe ${variant} exited ${code}: ${stderr}`);
  return { wallMs: ms, ...JSON.parse(stdout.trim().split("\n").at(-1)) };
}

/** Runs each variant `runs` times, interleaved; returns { variant: [results] }. */
async function probes(variants, runs) {
  const results = Object.fromEntries(variants.map((v) => [v, []]));
  await probe("ours"); // the first start reads the files from disk; later ones from the page cache
  for (let i = 0; i < runs; i++) for (const v of variants) results[v].push(await probe(v));
  return results;
}

const field = (results, name) => summarize(results.map((r) => r[name]));

/**
 * What the package adds to a process start: the median of the differences
 * of back-to-back pairs, so a slow phase of a busy machine hits both
 * members of a pair and cancels out.
 */
const pairedAdded = (ours, base) => summarize(ours.map((r, i) => r.wallMs - base[i].wallMs)).median;

async function node(runs) {
  progress(`Node start-up: ${runs} fresh processes per variant`);
  const r = await probes(["empty", "ours", "ours-first", "plain-first"], runs);
  return [
    timingRow({
      id: "startup.node.process", figure: "Node: process start + import + instantiate (wall)",
      ours: field(r.ours, "wallMs"), baseline: field(r.empty, "wallMs"), baselineName: "empty module",
      target: { maxAdded: NODE_TARGET_ADDED_MS }, added: pairedAdded(r.ours, r.empty),
    }),
    timingRow({
      id: "startup.node.in-process", figure: "  in process: import + instantiate (vs import of an empty module)",
      ours: summarize(r.ours.map((x) => x.importMs + x.instantiateMs)), baseline: field(r.empty, "importMs"), baselineName: "empty module",
      details: { importMs: field(r.ours, "importMs"), instantiateMs: field(r.ours, "instantiateMs") },
    }),
    timingRow({
      id: "startup.node.first-prepare", figure: "Node: first prepare of 1,000 numbers after import",
      ours: field(r["ours-first"], "firstPrepareMs"), baseline: field(r["plain-first"], "firstPrepareMs"), baselineName: "plain JS",
      details: { oursSecond: field(r["ours-first"], "secondPrepareMs"), plainSecond: field(r["plain-first"], "secondPrepareMs") },
    }),
  ];
}

const OURS_WORKER = `
import * as sms from "./uspeedo-sms.mjs";
const keys = ${JSON.stringify({ ...KEYS, baseUrl: UNUSED_BASE_URL })};
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/instantiate") return new Response(String(sms.wasmMemoryBytes()));
    const prepared = await new sms.Client(keys).prepare(await request.json());
    return new Response(prepared.headers["X-Signature"]);
  },
};`;

// The baseline Worker: answers the same routes, but only parses the body.
const EMPTY_WORKER = `
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/instantiate") return new Response("0");
    return new Response(String((await request.json()).TaskContent.length));
  },
};`;

/** One miniflare start: { startMs, instantiateMs, firstPrepareMs, secondPrepareMs } as seen from Node. */
async function workerRun(Miniflare, dir, body) {
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: true, scriptPath: join(dir, "worker.mjs"), modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2024-09-23",
  });
  try {
    await mf.ready;
    const t1 = performance.now();
    const call = async (path, init) => {
      const response = await mf.dispatchFetch(`http://bench.test${path}`, init);
      const text = await response.text();
      if (!response.ok) throw new Error(`worker ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    };
    await call("/instantiate");
    const t2 = performance.now();
    await call("/prepare", { method: "POST", body });
    const t3 = performance.now();
    await call("/prepare", { method: "POST", body });
    const t4 = performance.now();
    return { startMs: t1 - t0, instantiateMs: t2 - t1, startToInstantiatedMs: t2 - t0, firstPrepareMs: t3 - t2, secondPrepareMs: t4 - t3 };
  } finally {
    await mf.dispose();
  }
}

async function workerd(runs) {
  const { Miniflare } = await import("miniflare");
  const root = mkdtempSync(join(tmpdir(), "uspeedo-bench-workerd-"));
  try {
    const dirs = { ours: join(root, "ours"), empty: join(root, "empty") };
    for (const [name, dir] of Object.entries(dirs)) {
      await exec("mkdir", ["-p", dir]);
      writeFileSync(join(dir, "worker.mjs"), name === "ours" ? OURS_WORKER : EMPTY_WORKER);
    }
    // The Worker build as it ships: workerd.mjs imports the .wasm beside it.
    copyFileSync(join(DIST, "workerd.mjs"), join(dirs.ours, "uspeedo-sms.mjs"));
    copyFileSync(join(DIST, "uspeedo_sms_bg.wasm"), join(dirs.ours, "uspeedo_sms_bg.wasm"));
    const body = JSON.stringify(makeRequest(1000));
    progress(`workerd start-up: ${runs} miniflare starts per variant`);
    const results = { ours: [], empty: [] };
    await workerRun(Miniflare, dirs.ours, body); // warm the page cache and miniflare's own start
    for (let i = 0; i < runs; i++) {
      for (const name of ["empty", "ours"]) results[name].push(await workerRun(Miniflare, dirs[name], body));
    }
    const f = (name, key) => summarize(results[name].map((r) => r[key]));
    return [
      timingRow({
        id: "startup.workerd.instantiate", figure: "workerd: start (wasm compiled) + first request instantiating",
        ours: f("ours", "startToInstantiatedMs"), baseline: f("empty", "startToInstantiatedMs"), baselineName: "empty Worker",
        details: { oursStart: f("ours", "startMs"), emptyStart: f("empty", "startMs"), oursInstantiate: f("ours", "instantiateMs"), emptyFirstRequest: f("empty", "instantiateMs") },
      }),
      timingRow({
        id: "startup.workerd.first-prepare", figure: "workerd: first prepare of 1,000 numbers (request round trip)",
        ours: f("ours", "firstPrepareMs"), baseline: f("empty", "firstPrepareMs"), baselineName: "Worker parsing the body",
        details: { oursSecond: f("ours", "secondPrepareMs"), emptySecond: f("empty", "secondPrepareMs") },
      }),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function measure({ quick }) {
  const rows = [...(await node(quick ? 8 : 30))];
  try {
    rows.push(...(await workerd(quick ? 2 : 5)));
  } catch (error) {
    // workerd is a prebuilt binary from npm; say so instead of losing the Node figures.
    progress(`workerd start-up not measured: ${error.message.split("\n")[0]}`);
    rows.push(makeRow({ id: "startup.workerd.instantiate", figure: "workerd: start-up (not measured)", unit: "ms", ours: null, details: { error: error.message } }));
  }
  return { rows };
}

await runAsChild(measure);

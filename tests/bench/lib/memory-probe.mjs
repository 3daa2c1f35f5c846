// Run by memory.mjs in a fresh process: `node --expose-gc memory-probe.mjs VARIANT RUNS`.
// Repeats one 100,000-number job RUNS times and prints, as one JSON line, the
// wasm linear memory and the process RSS (after a full GC) before the first
// run, after each run, and once idle: IDLE_MS after the last run, when the
// package has given its wasm memory back (wasm.js waits ten seconds of quiet).
//   ours-plan   client.planBulk           ours-send   client.sendBulk to a canned fetch
//   plain-plan  the plain-JS planBulk      plain-send  the plain-JS sendBulk to a canned fetch
import { readFileSync } from "node:fs";
import { createPlainClient } from "../baseline-plain-js.mjs";
import { BULK_TARGETS, KEYS, UNUSED_BASE_URL, cannedFetch, importPackage, makeRequest } from "./fixtures.mjs";

const [variant, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const sms = await importPackage();
const ours = new sms.Client({ ...KEYS, baseUrl: UNUSED_BASE_URL, fetch: cannedFetch });
const plain = createPlainClient({ ...KEYS, baseUrl: UNUSED_BASE_URL, fetch: cannedFetch });
const jobs = {
  "ours-plan": async (request) => ours.planBulk(request).sent,
  "ours-send": async (request) => (await ours.sendBulk(request, { concurrency: 8 })).totals.accepted,
  "plain-plan": async (request) => plain.planBulk(request).targets.length,
  "plain-send": async (request) => (await plain.sendBulk(request, { concurrency: 8 })).totals.accepted,
};
const job = jobs[variant];
if (!job) throw new Error(`unknown variant ${variant}`);

/**
 * Resident bytes of the wasm memory. V8 reserves GiBs of address space per
 * wasm memory: the accessible pages (rw-p) followed by a huge inaccessible
 * guard mapping, so the rw mapping that ends where such a mapping starts is
 * the linear memory. Linux only (null elsewhere). It tells RSS growth from
 * touching more of an already grown linear memory apart from anything else.
 */
function wasmResidentBytes() {
  let smaps;
  try {
    smaps = readFileSync("/proc/self/smaps", "utf8");
  } catch {
    return null;
  }
  const maps = smaps.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/).map((block) => {
    const [, start, end, perms] = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(block);
    return { start, end, perms, size: Number(/\nSize:\s+(\d+) kB/.exec(block)?.[1] ?? 0) * 1024, rss: Number(/\nRss:\s+(\d+) kB/.exec(block)?.[1] ?? 0) * 1024 };
  });
  const guards = new Set(maps.filter((m) => m.size >= 1024 ** 3 && m.perms.startsWith("---")).map((m) => m.start));
  return maps.filter((m) => m.perms.startsWith("rw") && guards.has(m.end)).reduce((sum, m) => sum + m.rss, 0);
}

/** Longer than the ten seconds of quiet after which the package gives its memory back. */
const IDLE_MS = 10_500;
const request = makeRequest(BULK_TARGETS);
const snapshot = () => {
  globalThis.gc();
  globalThis.gc(); // a second pass frees what the first one's finalizers released
  const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
  const ourVariant = variant.startsWith("ours");
  return { wasm: ourVariant ? sms.wasmMemoryBytes() : null, wasmResident: ourVariant ? wasmResidentBytes() : null, rss, heapTotal, heapUsed, external };
};
const before = snapshot();
const after = [];
for (let i = 0; i < runs; i++) {
  const count = await job(request);
  if (count !== BULK_TARGETS) throw new Error(`${variant}: run ${i + 1} handled ${count} numbers`);
  after.push(snapshot());
}
// Both variants wait alike, so the plain client's heap has had the same time.
await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
const idle = snapshot();
process.stdout.write(`${JSON.stringify({ variant, before, after, idle })}\n`);

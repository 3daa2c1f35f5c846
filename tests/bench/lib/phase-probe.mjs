// Where a sendBulk's time goes: `node --expose-gc tests/bench/lib/phase-probe.mjs [RUNS]`.
// Alternates a 100,000-number sendBulk and the raw fetch loop against the
// mock (as bulk.mjs does) and prints, per sendBulk, the time before the
// first request leaves (reading, validating, planning), the sending (first
// request to last answer, seen through a `fetch` option that records them),
// and the tail (last answer to the report). The raw loop's times are the
// floor for the middle part. USPEEDO_BENCH_DIST points it at another build.
import { randomBytes } from "node:crypto";
import { createPlainClient } from "../baseline-plain-js.mjs";
import { rawLoop, startMockProcess } from "../bulk.mjs";
import { KEYS, importPackage, makeRequest } from "./fixtures.mjs";

const RUNS = Number(process.argv[2] ?? 10);
const WARMUP = 2;
const sms = await importPackage();
const mock = await startMockProcess();
const request = makeRequest(100_000);
const plain = createPlainClient({ ...KEYS, baseUrl: mock.url });
const plan = plain.planBulk(request);
const signed = plan.chunks.map((chunk, index) => ({ ...plain.prepareChunk(plan, index), targets: chunk.length }));

let first;
let last;
const recordingFetch = async (url, init) => {
  first ??= performance.now();
  const response = await fetch(url, init);
  last = performance.now();
  return response;
};
const client = new sms.Client({ ...KEYS, baseUrl: mock.url, fetch: recordingFetch });

// The bodies signed once; only the nonce (not signed) is new each run.
const rawRequests = () => signed.map((r) => ({ ...r, headers: { ...r.headers, "X-Nonce": randomBytes(16).toString("hex") } }));

const ms = (x) => Math.round(x);
try {
  for (let i = 0; i < WARMUP + RUNS; i++) {
    globalThis.gc?.();
    first = undefined;
    const t0 = performance.now();
    await client.sendBulk(request, { concurrency: 8 });
    const t1 = performance.now();
    await mock.ask("reset");
    globalThis.gc?.();
    const r0 = performance.now();
    await rawLoop(rawRequests(), 8);
    const raw = performance.now() - r0;
    await mock.ask("reset");
    if (i >= WARMUP) {
      console.log(`sendBulk ${ms(t1 - t0)} ms = before the first request ${ms(first - t0)} + sending ${ms(last - first)} + tail ${ms(t1 - last)}; raw loop ${ms(raw)} ms`);
    }
  }
} finally {
  await mock.close();
}

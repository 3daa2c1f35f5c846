// Benchmark, not a test: the same numbers through the queue (miniflare:
// Queue + ledger Durable Object) and through in-process sendBulk (Node),
// against the same mock on the same machine.
//   node tests/campaign/bench.mjs [numbers=200000]
import { performance } from "node:perf_hooks";
import { KEYS, campaignRequest, startHarness } from "./harness.mjs";

const n = Number(process.argv[2] ?? 200_000);
const request = campaignRequest(n);
const h = await startHarness();
try {
  const { Client } = await import("../../pkg/dist/node.mjs");
  const client = new Client({ ...KEYS, baseUrl: h.mock.url });
  h.mock.reset();
  let t = performance.now();
  const bulk = await client.sendBulk(request);
  const bulkMs = performance.now() - t;

  h.mock.reset();
  t = performance.now();
  const job = await h.call("start", { request, options: {}, jobId: "bench" });
  const startMs = performance.now() - t;
  await h.settled(job.jobId, 600_000); // a benchmark may take long
  const settledMs = performance.now() - t;
  t = performance.now();
  const report = await h.call("report", { jobId: job.jobId });
  const reportMs = performance.now() - t;
  console.table({
    sendBulk: { numbers: bulk.totals.accepted, ms: Math.round(bulkMs) },
    queue: { numbers: report.totals.accepted, ms: Math.round(settledMs), "plan+ledger+enqueue ms": Math.round(startMs), "report ms": Math.round(reportMs) },
  });
  console.log(`queue / sendBulk: ${(settledMs / bulkMs).toFixed(2)}x; mock duplicates: ${h.mock.duplicates().length}`);
} finally {
  await h.close();
}

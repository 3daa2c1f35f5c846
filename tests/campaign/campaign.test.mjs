// Campaigns on real Queues and Durable Objects (miniflare) against the mock
// uSpeedo API: end to end, and each fault of issue 13. In every case: no
// number twice at the mock, every number in exactly one report bucket.
// CAMPAIGN_NUMBERS sets the end-to-end size (default 200,000, as the issue asks).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { KEYS, bucketsOf, campaignRequest, linesOf, startHarness } from "./harness.mjs";

const NUMBERS = Number(process.env.CAMPAIGN_NUMBERS ?? 200_000);
let h;
before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

let jobs = 0;
async function run(request, { options = {}, faults = [], hold = false } = {}) {
  h.mock.reset();
  await h.call("arm", { rules: faults });
  const jobId = `job-${++jobs}`;
  // A crashed claimant's chunk settles (as unknown) 1 s after its claim
  // here, not the default 15 minutes.
  const job = await h.call("start", { request, options: { claimTimeoutMs: 1000, ...options }, jobId, hold });
  return job;
}

/** The ledger's stored chunks, states and outcomes never hold the private key. */
async function checkNoSecret(jobId, messages) {
  assert.equal(await h.call("secretInStorage", { jobId, secret: KEYS.privateKey }), 0);
  assert.ok(!JSON.stringify(messages).includes(KEYS.privateKey));
}

function checkNoDuplicates() {
  assert.deepEqual(h.mock.duplicates(), [], "a number was texted twice");
}

function checkAccounted(report, n) {
  const buckets = bucketsOf(report);
  assert.equal(buckets.size, n);
  const t = report.totals;
  assert.equal(t.accepted + t.failed + t.unknown + t.notAttempted, n);
  assert.equal(report.complete, true);
  return buckets;
}

const phonesOf = (report, bucket, chunk) =>
  report[bucket].filter((e) => chunk === undefined || e.chunk === chunk).map((e) => e.Phone);

test(`${NUMBERS} numbers over 3 templates end to end`, async () => {
  const job = await run(campaignRequest(NUMBERS));
  assert.equal(job.targets, NUMBERS);
  const report = await h.settled(job.jobId);
  checkAccounted(report, NUMBERS);
  assert.equal(report.totals.accepted, NUMBERS);
  assert.equal(h.mock.accepted.length, NUMBERS);
  checkNoDuplicates();
  assert.equal(report.resendRequest, null);
  assert.ok(!JSON.stringify(report).includes(KEYS.privateKey), "the private key is in the report");
  await checkNoSecret(job.jobId, job.messages);
});

test("a consumer that throws after sending, before recording: that chunk unknown, not resent", async () => {
  const job = await run(campaignRequest(5_000), { faults: [{ at: "afterSend", index: 2, times: 1 }] });
  const report = await h.settled(job.jobId);
  checkAccounted(report, 5_000);
  checkNoDuplicates();
  const crashed = phonesOf(report, "unknown");
  assert.equal(crashed.length, job.messages.length > 2 ? 1000 : 0);
  assert.ok(report.unknown.every((e) => e.chunk === 2));
  // It was sent once (the crash came after the send) and never again.
  const atMock = new Set(h.mock.accepted.map((a) => a.Phone));
  assert.ok(crashed.every((p) => atMock.has(p)));
  assert.equal(h.mock.accepted.length, 5_000);
});

test("a consumer that throws after claiming, before sending: that chunk unknown, never sent", async () => {
  const job = await run(campaignRequest(5_000), { faults: [{ at: "afterClaim", index: 1, times: 1 }] });
  const report = await h.settled(job.jobId);
  checkAccounted(report, 5_000);
  checkNoDuplicates();
  assert.equal(report.totals.unknown, 1000);
  assert.ok(report.unknown.every((e) => e.chunk === 1));
  const atMock = new Set(h.mock.accepted.map((a) => a.Phone));
  assert.ok(phonesOf(report, "unknown").every((p) => !atMock.has(p)));
  assert.equal(report.totals.accepted, 4_000);
});

test("every message delivered twice through the queue", async () => {
  const job = await run(campaignRequest(4_000));
  await h.call("enqueue", { messages: job.messages });
  const report = await h.settled(job.jobId);
  checkAccounted(report, 4_000);
  checkNoDuplicates();
  assert.equal(h.mock.accepted.length, 4_000);
  // A duplicate that arrives while its chunk is in flight may settle it as
  // unknown (the first claimant's outcome then lands over it); none is lost.
  assert.equal(report.totals.accepted + report.totals.unknown, 4_000);
});

test("the same message run by two consumers at once", async () => {
  const job = await run(campaignRequest(3_000), { hold: true });
  for (const message of job.messages) {
    const answers = await h.call("concurrent", { message });
    assert.equal(answers.filter((a) => a.reason === undefined).length, 1, JSON.stringify(answers));
  }
  const report = await h.settled(job.jobId);
  checkAccounted(report, 3_000);
  checkNoDuplicates();
  assert.equal(report.totals.accepted, 3_000);
  assert.equal(h.mock.accepted.length, 3_000);
});

test("the ledger's Durable Object restarted mid-job", async () => {
  const job = await run(campaignRequest(8_000), { options: { ratePerSecond: 10 } });
  // The rate (10 starts a second) keeps the 8 chunks going for ≥ 0.7 s.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = await h.call("instance", { jobId: job.jobId });
  assert.equal((await h.call("progress", { jobId: job.jobId })).complete, false);
  await h.call("restart", { jobId: job.jobId });
  const report = await h.settled(job.jobId);
  assert.notEqual(await h.call("instance", { jobId: job.jobId }), before, "the Durable Object was not restarted");
  checkAccounted(report, 8_000);
  checkNoDuplicates();
  // A send cut off by the restart is unknown, never sent again.
  assert.equal(report.totals.accepted + report.totals.unknown, 8_000);
  assert.equal(h.mock.accepted.length, report.totals.accepted + countUnknownAtMock(report));
});

function countUnknownAtMock(report) {
  const atMock = new Set(h.mock.accepted.map((a) => a.Phone));
  return phonesOf(report, "unknown").filter((p) => atMock.has(p)).length;
}

test("429 with Retry-After: retried, claim kept, nothing twice", async () => {
  const job = await run(campaignRequest(3_000), { hold: true });
  // More 429s than the client retries in one call: the ledger releases the
  // chunk (nothing was sent) and the queue delivers it again.
  h.mock.injectFault({ kind: "status429", retryAfter: 1, times: 4 });
  await h.call("enqueue", { messages: job.messages });
  const report = await h.settled(job.jobId);
  checkAccounted(report, 3_000);
  checkNoDuplicates();
  assert.equal(report.totals.accepted, 3_000);
  assert.equal(h.mock.requests.filter((r) => r.outcome === "rejected 429").length, 4);
});

test("bad credentials: the job stops, the rest not attempted", async () => {
  const job = await run(campaignRequest(10_000), { hold: true });
  h.mock.injectFault({ kind: "retCode", retCode: 215398, message: "Failed to parse token", times: 1 });
  await h.call("enqueue", { messages: job.messages });
  const report = await h.settled(job.jobId);
  checkAccounted(report, 10_000);
  checkNoDuplicates();
  assert.equal(report.stoppedBy?.code, "API");
  await checkNoSecret(job.jobId, job.messages);
  assert.equal(report.totals.failed, 1000);
  assert.ok(report.totals.notAttempted >= 1000, JSON.stringify(report.totals));
  assert.equal(h.mock.accepted.length, report.totals.accepted);
  assert.equal(report.resendRequest.TaskContent.reduce((n, t) => n + t.Target.length, 0), 10_000 - report.totals.accepted);
});

test("cancel: unsent chunks not attempted", async () => {
  const job = await run(campaignRequest(5_000), { hold: true });
  await h.call("cancel", { jobId: job.jobId });
  await h.call("enqueue", { messages: job.messages });
  const report = await h.settled(job.jobId);
  checkAccounted(report, 5_000);
  assert.equal(report.totals.notAttempted, 5_000);
  assert.equal(report.cancelled, true);
  assert.equal(h.mock.accepted.length, 0);
});

test("long parameters: chunks split under the 128 KB message limit, all sent once", async () => {
  const job = await run(campaignRequest(2_000, { templates: 1, paramLength: 400 }));
  assert.ok(job.chunkCount >= 8, `${job.chunkCount} chunks`);
  const report = await h.settled(job.jobId);
  checkAccounted(report, 2_000);
  checkNoDuplicates();
  assert.equal(report.totals.accepted, 2_000);
});

test("the same job started again (a producer that died before enqueuing): finished, nothing twice", async () => {
  h.mock.reset();
  await h.call("arm", { rules: [] });
  const spec = { request: campaignRequest(5_000), options: { claimTimeoutMs: 1000 }, jobId: `job-${++jobs}` };
  const first = await h.call("start", { ...spec, hold: true });
  const second = await h.call("start", spec);
  const third = await h.call("start", spec);
  assert.deepEqual(second.messages, first.messages);
  assert.deepEqual(third.messages, first.messages);
  const report = await h.settled(spec.jobId);
  checkAccounted(report, 5_000);
  checkNoDuplicates();
  assert.equal(h.mock.accepted.length, 5_000);
  assert.equal(report.totals.accepted + report.totals.unknown, 5_000);
});

test("dedupe and suppress: sorted out when planned, as sendBulk does; the mock never sees them", async () => {
  const request = campaignRequest(6_000);
  // 500 repeats at the end of the first template's lines; 1,000 of the
  // second template's numbers suppressed, half of them in another form.
  const first = request.TaskContent[0].Target;
  first.push(...first.slice(0, 500).map((t) => ({ ...t })));
  const held = request.TaskContent[1].Target.slice(0, 1_000).map((t) => t.Phone);
  const suppress = held.map((p, i) => (i % 2 ? p : `+1 ${p.slice(3)}`));
  // Small values: the chunks and the sorted-out targets take several each.
  const options = { dedupe: true, suppress, maxChunkBytes: 20_000 };
  const job = await run(request, { options });
  assert.deepEqual([job.targets, job.sent, job.duplicatesDropped, job.suppressed], [6_500, 5_000, 500, 1_000]);
  const report = await h.settled(job.jobId);
  const lines = linesOf(report);
  assert.equal(lines.size, 6_500, "every input line in exactly one list");
  const t = report.totals;
  assert.deepEqual([t.targets, t.sent, t.accepted, t.duplicatesDropped, t.suppressed], [6_500, 5_000, 5_000, 500, 1_000]);
  assert.equal(t.accepted + t.failed + t.unknown + t.notAttempted + t.duplicatesDropped + t.suppressed, t.targets);
  checkNoDuplicates();
  assert.equal(h.mock.accepted.length, 5_000);
  const atMock = new Set(h.mock.accepted.map((a) => a.Phone));
  assert.ok(held.every((p) => !atMock.has(p)), "a suppressed number reached the mock");
  const sizes = await h.call("sizes", { jobId: job.jobId, prefix: "dropped:" });
  assert.ok(sizes.length >= 3 && sizes.every((n) => n <= 20_000), JSON.stringify(sizes));

  // The same request through in-process sendBulk: the same lists.
  const { Client } = await import("../../pkg/dist/node.mjs");
  h.mock.reset();
  const bulk = await new Client({ ...KEYS, baseUrl: h.mock.url }).sendBulk(request, { dedupe: true, suppress });
  assert.deepEqual(report.suppressed, bulk.suppressed);
  assert.deepEqual(report.duplicates, bulk.duplicates);
  const { chunks: _a, ...campaignTotals } = report.totals;
  const { chunks: _b, ...bulkTotals } = bulk.totals;
  assert.deepEqual(campaignTotals, bulkTotals);
  assert.deepEqual(report.accepted.map((e) => e.path), bulk.accepted.map((e) => e.path));
});

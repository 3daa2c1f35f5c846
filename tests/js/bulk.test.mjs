// sendBulk against the mock: 100,000 numbers over several templates with
// faults on chosen chunks. Every number must end in exactly one bucket, the
// mock must never receive a number twice, and resendRequest must hold
// exactly the failed + not attempted numbers.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, phoneOf, sms, startMock } from "./helpers.mjs";

const { Client, UspeedoError } = sms;
let mock;
let client;

before(async () => {
  mock = await startMock({ blacklist: [phoneOf(5), phoneOf(54_321)] });
});
after(() => mock.close());
beforeEach(() => {
  mock.reset();
  client = new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, timeoutMs: 1500 });
});

const BUCKETS = ["accepted", "failed", "unknown", "notAttempted"];

/** Every input path in exactly one bucket (or listed as a dropped duplicate). */
function assertAccounted(report, total) {
  const seen = new Map();
  for (const bucket of BUCKETS) {
    assert.equal(report[bucket].length, report.totals[bucket], `${bucket} count`);
    for (const entry of report[bucket]) {
      assert.ok(!seen.has(entry.path), `${entry.path} is in ${seen.get(entry.path)} and ${bucket}`);
      seen.set(entry.path, bucket);
    }
  }
  for (const d of report.duplicates) seen.set(d.path, "duplicate");
  assert.equal(seen.size, total);
  const sum = BUCKETS.reduce((n, b) => n + report.totals[b], 0) + report.totals.duplicatesDropped;
  assert.equal(sum, total);
  assert.equal(report.totals.targets, total);
}

function resendPhones(report) {
  return (report.resendRequest?.TaskContent ?? []).flatMap((t) => t.Target.map((x) => `${t.TemplateId}|${x.Phone}`)).sort();
}

function bucketPhones(report, ...buckets) {
  return buckets.flatMap((b) => report[b].map((e) => `${e.TemplateId}|${e.Phone}`)).sort();
}

test("100,000 numbers with faults on chosen chunks are all accounted for, none sent twice", async () => {
  const total = 100_000;
  const request = batch(total, { templates: 4 });
  // Chunk order is by index but chunks run concurrently: match faults by
  // the first phone of the chunk, so each hits exactly the intended chunk.
  const firstPhoneIs = (i) => (payload) => payload?.TaskContent?.[0]?.Target?.[0]?.Phone === phoneOf(i);
  mock.injectFault({ kind: "status429", retryAfter: 0, match: firstPhoneIs(10_000) });
  mock.injectFault({ kind: "status500", processed: true, match: firstPhoneIs(20_000) });
  mock.injectFault({ kind: "hang", match: firstPhoneIs(30_000) });
  mock.injectFault({ kind: "resetAfterBody", match: firstPhoneIs(40_000) });
  mock.injectFault({ kind: "retCode", retCode: 215407, message: "Missing or invalid parameter", match: firstPhoneIs(60_000) });
  mock.injectFault({ kind: "truncatedJson", match: firstPhoneIs(70_000) });
  let progressCalls = 0;
  const report = await client.sendBulk(request, { concurrency: 8, onProgress: () => progressCalls++ });
  assertAccounted(report, total);
  assert.equal(report.chunks.length, 100);
  assert.equal(progressCalls, 100);
  assert.equal(mock.duplicates().length, 0, "a number reached the mock twice");
  const status = (i) => report.chunks.find((c) => c.index === i / 1000);
  assert.equal(status(10_000).status, "accepted"); // 429 then success
  assert.equal(status(20_000).status, "unknown");
  assert.equal(status(30_000).error.code, "TIMEOUT");
  assert.equal(status(40_000).error.code, "NETWORK");
  assert.equal(status(60_000).status, "failed");
  assert.equal(status(70_000).error.code, "BAD_RESPONSE");
  assert.equal(report.totals.unknown, 4000);
  assert.equal(report.totals.failed, 1000 + 2);
  // What the mock accepted is exactly what the report calls accepted (plus
  // the numbers in chunks whose answer was lost: processed, reported unknown).
  const acceptedByMock = new Set(mock.accepted.map((a) => `${a.TemplateId}|${a.Phone}`));
  for (const e of report.accepted) assert.ok(acceptedByMock.has(`${e.TemplateId}|${e.Phone}`));
  assert.deepEqual(resendPhones(report), bucketPhones(report, "failed", "notAttempted"));
  assert.equal(report.sessionNos.length, 95);
});

test("bad credentials stop the job: later chunks are notAttempted, resend covers them", async () => {
  const wrong = new Client({ publicKey: PUBLIC_KEY, privateKey: "wrong", baseUrl: mock.url });
  const report = await wrong.sendBulk(batch(5000), { concurrency: 1 });
  assertAccounted(report, 5000);
  assert.equal(report.stoppedBy.code, "API");
  assert.equal(report.totals.failed, 1000);
  assert.equal(report.totals.notAttempted, 4000);
  assert.equal(mock.requests.length, 1);
  assert.deepEqual(resendPhones(report), bucketPhones(report, "failed", "notAttempted"));
});

test("aborting halfway leaves later chunks notAttempted and still returns the report", async () => {
  const controller = new AbortController();
  mock.injectFault({ kind: "latency", ms: 30, times: 100 });
  const report = await client.sendBulk(batch(20_000), {
    concurrency: 2,
    signal: controller.signal,
    onProgress: (p) => p.chunksDone === 6 && controller.abort(),
  });
  assertAccounted(report, 20_000);
  assert.equal(report.stoppedBy.code, "ABORTED");
  assert.ok(report.totals.notAttempted >= 10_000, `notAttempted ${report.totals.notAttempted}`);
  const last = report.chunks.at(-1);
  assert.equal(last.status, "not_attempted");
  assert.equal(mock.duplicates().length, 0);
});

test("a deadline stops new requests; in-flight ones become unknown", async () => {
  mock.injectFault({ kind: "latency", ms: 400, times: 100 });
  const report = await client.sendBulk(batch(10_000), { concurrency: 2, deadlineMs: 600 });
  assertAccounted(report, 10_000);
  assert.equal(report.stoppedBy.code, "DEADLINE");
  assert.ok(report.totals.notAttempted > 0);
});

test("dedupe drops repeated (template, number, params) and says which were kept", async () => {
  const request = batch(3);
  request.TaskContent[0].Target.push({ ...request.TaskContent[0].Target[0] });
  request.TaskContent[0].Target[0].Phone = "+86 139 0000 0000"; // same number, other spelling
  const plan = client.planBulk(request, { dedupe: true });
  assert.equal(plan.duplicatesDropped, 1);
  const report = await client.sendBulk(request, { dedupe: true });
  assertAccounted(report, 4);
  assert.deepEqual(report.duplicates, [{ path: "TaskContent[0].Target[3]", duplicateOf: "TaskContent[0].Target[0]" }]);
  assert.equal(mock.acceptedCount(), 3);
});

test("a SuccessCount that does not add up is reported, not guessed", async () => {
  const liar = new Client({
    publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: "http://127.0.0.1:9/api",
    fetch: async () => new Response(JSON.stringify({ RetCode: 0, SessionNo: "s", SuccessCount: 1, FailContent: [] }), { status: 200 }),
  });
  const report = await liar.sendBulk(batch(3));
  assertAccounted(report, 3);
  assert.equal(report.chunks[0].status, "mismatch");
  assert.match(report.chunks[0].mismatch, /SuccessCount 1/);
  assert.equal(report.totals.unknown, 3);
});

test("invalid input throws VALIDATION before anything is sent", async () => {
  const request = batch(2500);
  request.TaskContent[0].Target[1234].Phone = "nope";
  await assert.rejects(client.sendBulk(request), (e) => e instanceof UspeedoError && e.code === "VALIDATION"
    && e.issues[0].path === "TaskContent[0].Target[1234].Phone");
  assert.equal(mock.requests.length, 0);
  assert.throws(() => client.planBulk(batch(1), { chunkSize: 5000 }), /chunkSize/);
});

test("a 100,000-number plan does not grow wasm memory across repeated runs", () => {
  const request = batch(100_000, { templates: 4 });
  client.planBulk(request);
  const afterFirst = sms.wasmMemoryBytes();
  assert.ok(afterFirst > 0);
  for (let i = 0; i < 5; i++) client.planBulk(request);
  assert.equal(sms.wasmMemoryBytes(), afterFirst);
});

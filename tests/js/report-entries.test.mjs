// A bulk report's four buckets are laid out in JS from rows the wasm writes
// (pkg/src/report-entries.js), not by JSON.parse of serde's objects. They
// must be the objects BulkEntry describes: same values, keys in its order
// (path, TemplateId, Phone, UserId only where one was given, chunk, reason
// only where there is one), across chunks that hold two tasks (two runs of
// one part), in every bucket.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, phoneOf, sms, startMock } from "./helpers.mjs";

let mock;
before(async () => {
  mock = await startMock({ blacklist: [phoneOf(6), phoneOf(7)] });
});
after(() => mock.close());

/** Two tasks of 1,500 numbers; every third target has a UserId. */
function request() {
  return {
    TaskContent: [0, 1].map((t) => ({
      TemplateId: `UTA${t}`,
      Target: Array.from({ length: 1500 }, (_, j) => {
        const n = t * 1500 + j;
        return n % 3 === 0 ? { Phone: phoneOf(n), UserId: `user-${n}` } : { Phone: phoneOf(n) };
      }),
    })),
  };
}

/** The entry of number `n` as BulkEntry lays it out; `reason` last, when given. */
function entryOf(n, reason) {
  const [t, j] = [Math.floor(n / 1500), n % 1500];
  const entry = { path: `TaskContent[${t}].Target[${j}]`, TemplateId: `UTA${t}`, Phone: phoneOf(n) };
  if (n % 3 === 0) entry.UserId = `user-${n}`;
  entry.chunk = Math.floor(n / 1000);
  if (reason !== undefined) entry.reason = reason;
  return entry;
}

const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

test("every bucket: the objects BulkEntry describes, keys in its order", async () => {
  // Chunk 0 is sent (two numbers blacklisted: failed), chunk 1 (two tasks)
  // gets a 500 that may have been processed (unknown), chunk 2 is never
  // started: the caller aborts once chunk 1 is recorded (notAttempted).
  mock.injectFault({ kind: "status500", processed: true, match: (p) => p?.TaskContent?.[0]?.Target?.[0]?.Phone === phoneOf(1000) });
  const controller = new AbortController();
  const client = new sms.Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url });
  const report = await client.sendBulk(request(), {
    concurrency: 1,
    signal: controller.signal,
    onProgress: (p) => p.chunksDone === 2 && controller.abort(),
  });
  assert.deepEqual(
    [report.totals.accepted, report.totals.failed, report.totals.unknown, report.totals.notAttempted],
    [998, 2, 1000, 1000],
  );
  // Each reason is the one its chunk or number was given; the entries around
  // it are checked as JSON text, which compares key order too.
  const reasonOf = (bucket) => [...new Set(report[bucket].map((e) => e.reason))];
  for (const bucket of ["unknown", "notAttempted"]) {
    assert.equal(reasonOf(bucket).length, 1, bucket);
    assert.equal(typeof reasonOf(bucket)[0], "string", bucket);
  }
  const failedReason = report.failed[0].reason;
  assert.equal(typeof failedReason, "string");
  const expected = {
    accepted: range(0, 1000).filter((n) => n !== 6 && n !== 7).map((n) => entryOf(n)),
    failed: [6, 7].map((n) => entryOf(n, failedReason)),
    unknown: range(1000, 2000).map((n) => entryOf(n, reasonOf("unknown")[0])),
    notAttempted: range(2000, 3000).map((n) => entryOf(n, reasonOf("notAttempted")[0])),
  };
  for (const [bucket, entries] of Object.entries(expected)) {
    assert.equal(JSON.stringify(report[bucket]), JSON.stringify(entries), bucket);
  }
  // The buckets are in their places among the report's keys.
  assert.deepEqual(Object.keys(report).slice(0, 5), ["totals", "accepted", "failed", "unknown", "notAttempted"]);
});

// Campaigns with trackDelivery: the ledger Durable Object's alarm asks the
// mock for the receipts of its sessions until every sent number is
// delivered or failed (or its time is up), also across a restart of the
// Durable Object. The mock holds receipts pending for 1.5 s after a send,
// so each job takes more than one round; some numbers are undeliverable.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { campaignRequest, startHarness, withLimit } from "./harness.mjs";

const RECEIPT_DELAY_MS = 1_500;
/** Every 50th number of campaignRequest's numbering. */
const undeliverable = Array.from({ length: 200 }, (_, i) => `(1)415${String(i * 50).padStart(7, "0")}`);

let h;
before(async () => {
  h = await startHarness({ undeliverable, receiptDelayMs: RECEIPT_DELAY_MS });
});
after(async () => h?.close());

let jobs = 0;
async function start(n, trackDelivery) {
  h.mock.reset();
  await h.call("arm", { rules: [] });
  const options = { claimTimeoutMs: 1000, trackDelivery };
  return h.call("start", { request: campaignRequest(n), options, jobId: `delivery-${++jobs}` });
}

/** Polls delivery() until the ledger asks no more. */
async function tracked(jobId, limitMs = 60_000) {
  const until = Date.now() + limitMs;
  for (;;) {
    const delivery = await h.call("delivery", { jobId });
    if (!delivery.tracking) return delivery;
    if (Date.now() > until) throw new Error(`job ${jobId} still tracking: ${JSON.stringify(delivery.totals)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const receiptCalls = () => h.mock.requests.filter((r) => r.action === "GetUSMSSendReceipt");

test("receipts kept by the ledger: delivered + failed = sent, with the carrier's reasons", async () => {
  const job = await start(3_000, { intervalMs: 300, timeoutMs: 60_000 });
  const report = await h.settled(job.jobId);
  assert.equal(report.totals.accepted, 3_000);
  const delivery = await tracked(job.jobId);
  const t = delivery.totals;
  const failed = undeliverable.filter((p) => Number(p.slice(6)) < 3_000).length;
  assert.deepEqual([t.delivered + t.failed, t.failed, t.pending], [report.totals.accepted, failed, 0]);
  assert.equal(delivery.complete, true);
  assert.equal(delivery.numbers.length, 3_000);
  const bad = delivery.numbers.filter((n) => n.status === "failed");
  assert.ok(bad.every((n) => n.reason === "undeliverable" && undeliverable.includes(n.Phone)), JSON.stringify(bad[0]));
  assert.ok(delivery.numbers.every((n) => n.path && n.TemplateId && n.SessionNo));
  assert.equal(t.costCount, 3_000);
  // Pending at first (the mock's delay), so asked more than once.
  assert.ok(delivery.rounds >= 2, `${delivery.rounds} rounds`);
  assert.equal(delivery.lastError, null);
  assert.ok(receiptCalls().length >= 2);
  // The report carries the same totals.
  const final = await h.call("report", { jobId: job.jobId });
  assert.deepEqual(final.delivery, { totals: t, complete: true, tracking: false });
  // Nothing more is asked once every number is final.
  assert.equal(await h.call("alarmAt", { jobId: job.jobId }), null);
});

test("the alarm survives a restart of the Durable Object", async () => {
  const job = await start(2_000, { intervalMs: 300, timeoutMs: 60_000 });
  await h.settled(job.jobId);
  const before = await h.call("delivery", { jobId: job.jobId });
  assert.ok(before.tracking && before.totals.pending > 0, JSON.stringify(before.totals));
  assert.notEqual(await h.call("alarmAt", { jobId: job.jobId }), null);
  const instance = await h.call("instance", { jobId: job.jobId });
  await h.call("restart", { jobId: job.jobId });
  const delivery = await withLimit(tracked(job.jobId), 60_000, "tracking after the restart");
  assert.notEqual(await h.call("instance", { jobId: job.jobId }), instance, "the Durable Object was not restarted");
  assert.equal(delivery.complete, true);
  assert.equal(delivery.totals.delivered + delivery.totals.failed, 2_000);
  assert.ok(delivery.rounds > before.rounds);
});

test("past timeoutMs the ledger stops asking: pending numbers are stated as pending", async () => {
  // Receipts come 1.5 s after the send; the ledger asks for 0.6 s.
  const job = await start(1_000, { intervalMs: 200, timeoutMs: 600 });
  const report = await h.settled(job.jobId);
  const delivery = await tracked(job.jobId);
  assert.equal(delivery.complete, false);
  assert.equal(delivery.totals.pending, report.totals.accepted);
  assert.ok(delivery.numbers.every((n) => n.status === "pending"));
  assert.equal(report.delivery.totals.delivered, 0);
});

test("without trackDelivery nothing is asked", async () => {
  const job = await start(1_000, undefined);
  const report = await h.settled(job.jobId);
  assert.equal(report.delivery, undefined);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(receiptCalls().length, 0);
  assert.equal(await h.call("alarmAt", { jobId: job.jobId }), null);
});

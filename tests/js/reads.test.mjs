// getReceipts and getTemplates against the mock: 100 SessionNos per call,
// statuses mapped, unknown ids listed, and the read rule: a read is retried
// after a 5xx or a timeout, where a send is not.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, phoneOf, sms, startMock } from "./helpers.mjs";

const { Client, UspeedoError } = sms;
let mock;
let client;

before(async () => {
  mock = await startMock({
    undeliverable: [phoneOf(1)],
    templates: { UTA0: "Your code is {1}", UTA_REVIEW: { Template: "Hi {1}", Status: 1 }, UTA_NO: { Template: "x", Status: 3 } },
  });
});
after(() => mock.close());
beforeEach(() => {
  mock.reset();
  client = new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, timeoutMs: 500, maxRetries: 2 });
});

const calls = (action) => mock.requests.filter((r) => r.action === action).length;

test("receipts: 250 sessions take 3 calls; statuses are mapped; sessions without receipts are listed", async () => {
  const sent = await client.sendBatch(batch(3));
  const sessionNos = [sent.SessionNo, ...Array.from({ length: 249 }, (_, i) => `unknown-session-${i}`)];
  const result = await client.getReceipts(sessionNos, { concurrency: 2 });
  assert.equal(calls("GetUSMSSendReceipt"), 3);
  assert.equal(result.receipts.length, 3);
  const byPhone = Object.fromEntries(result.receipts.map((r) => [r.Phone, r]));
  assert.equal(byPhone[phoneOf(0)].status, "delivered");
  assert.equal(byPhone[phoneOf(1)].status, "failed");
  assert.equal(byPhone[phoneOf(1)].ReceiptResult, "Fail");
  assert.equal(byPhone[phoneOf(0)].SessionNo, sent.SessionNo);
  assert.equal(result.sessionsWithoutReceipts.length, 249);
  assert.equal(result.requestIds.length, 3);
});

test("a read is retried after a 5xx and a timeout; a send is not", async () => {
  const sent = await client.sendBatch(batch(1));
  mock.injectFault({ kind: "status500", times: 1 });
  mock.injectFault({ kind: "hang", times: 1 });
  const result = await client.getReceipts([sent.SessionNo]);
  assert.equal(result.receipts.length, 1);
  assert.equal(calls("GetUSMSSendReceipt"), 3, "the 500 and the timeout were each followed by a retry");
  mock.injectFault({ kind: "status500", times: 1 });
  const error = await client.sendBatch(batch(1)).then(() => null, (e) => e);
  assert.ok(error instanceof UspeedoError);
  assert.deepEqual([error.code, error.delivery, error.attempts], ["HTTP", "unknown", 1]);
});

test("templates: text and status as uSpeedo has them; unknown ids listed, not thrown", async () => {
  const result = await client.getTemplates(["UTA0", "UTA_REVIEW", "UTA_NO", "UTA_NONE", "UTA0"]);
  assert.deepEqual(result.templates.map((t) => [t.TemplateId, t.Template, t.Status, t.status]), [
    ["UTA0", "Your code is {1}", 2, "approved"],
    ["UTA_REVIEW", "Hi {1}", 1, "in_review"],
    ["UTA_NO", "x", 3, "rejected"],
  ]);
  assert.deepEqual(result.unknown, ["UTA_NONE"]);
  assert.equal(calls("QueryUSMSTemplate"), 1, "repeated ids are asked once");
});

test("bad ids are a VALIDATION error with paths; API errors keep RetCode; nothing is thrown raw", async () => {
  const bad = await client.getReceipts(["ok", 7, ""]).then(() => null, (e) => e);
  assert.equal(bad.code, "VALIDATION");
  assert.deepEqual(bad.issues.map((i) => i.path), ["SessionNoSet[1]", "SessionNoSet[2]"]);
  const notArray = await client.getTemplates("UTA0").then(() => null, (e) => e);
  assert.equal(notArray.code, "VALIDATION");
  const wrongKey = new Client({ publicKey: PUBLIC_KEY, privateKey: "wrong", baseUrl: mock.url });
  const api = await wrongKey.getReceipts(["s"]).then(() => null, (e) => e);
  assert.deepEqual([api.code, api.delivery, typeof api.retCode], ["API", "not_sent", "number"]);
  assert.equal(calls("GetUSMSSendReceipt"), 1, "an API refusal is not retried");
  const options = await client.getReceipts(["s"], { concurency: 2 }).then(() => null, (e) => e);
  assert.equal(options.code, "CONFIG");
  assert.match(options.message, /did you mean concurrency/);
});

test("checkTemplates: an unapproved or unknown template is refused before anything is sent; texts are checked", async () => {
  const request = (id, params = ["1"]) => ({ TaskContent: [{ TemplateId: id, Target: [{ Phone: "+852 5531 1111", TemplateParams: params }] }] });
  const refusal = async (promise) => promise.then(() => assert.fail("expected a refusal"), (e) => e);
  const review = await refusal(client.sendBatch(request("UTA_REVIEW"), { checkTemplates: true }));
  assert.equal(review.code, "VALIDATION");
  assert.deepEqual(review.issues.map((i) => [i.path, i.code]), [["TaskContent[0].TemplateId", "TEMPLATE_NOT_APPROVED"]]);
  const unknown = await refusal(client.sendBulk(request("UTA_NONE"), { checkTemplates: true }));
  assert.equal(unknown.issues[0].code, "TEMPLATE_UNKNOWN");
  const params = await refusal(client.sendBatch(request("UTA0", ["1", "2"]), { checkTemplates: true }));
  assert.equal(params.issues[0].code, "PARAMS_COUNT_MISMATCH", "the real text has one parameter");
  assert.equal(calls("SendBatchUSMSMessage"), 0, "nothing was sent");
  assert.equal(calls("QueryUSMSTemplate"), 3, "one query per template not yet known");
  const sent = await client.sendBatch(request("UTA0"), { checkTemplates: true });
  assert.equal(sent.SuccessCount, 1);
  assert.equal(calls("QueryUSMSTemplate"), 3, "known templates are not asked again");
});

test("loadTemplates feeds validation of later calls (planBulk too); hand-given texts win; planBulk refuses checkTemplates", async () => {
  const loaded = await client.loadTemplates(["UTA_NO", "UTA0"]);
  assert.deepEqual(loaded.templates.map((t) => t.status), ["rejected", "approved"]);
  const plan = () => client.planBulk({ TaskContent: [{ TemplateId: "UTA_NO", Target: [{ Phone: "+852 5531 1111" }] }] });
  assert.throws(plan, (e) => e.code === "VALIDATION" && e.issues[0].code === "TEMPLATE_NOT_APPROVED");
  assert.throws(() => client.planBulk(batch(1), { checkTemplates: true }), (e) => e.code === "CONFIG");
  const byHand = new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, templates: { UTA_NO: "mine {1}" } });
  await byHand.loadTemplates(["UTA_NO"]);
  assert.equal(byHand.planBulk({ TaskContent: [{ TemplateId: "UTA_NO", Target: [{ Phone: "+852 5531 1111", TemplateParams: ["1"] }] }] }).sent, 1);
  const refreshed = await client.loadTemplates();
  assert.equal(refreshed.templates.length, 2);
});

test("trackDelivery: a 3,000-number sendBulk ends with every number in one status and totals that add up", async () => {
  const report = await client.sendBulk(batch(3000), { chunkSize: 1000 });
  assert.equal(report.totals.accepted + report.totals.failed, 3000);
  const progress = [];
  const delivery = await client.trackDelivery(report, { intervalMs: 20, onProgress: (t) => progress.push(t) });
  assert.equal(delivery.complete, true);
  assert.equal(delivery.numbers.length, 3000, "every number, once");
  const t = delivery.totals;
  assert.equal(t.delivered + t.failed + t.pending + t.unknown + t.notAccepted + t.notAttempted, 3000);
  assert.equal(t.failed, 1, "the undeliverable number");
  assert.equal(delivery.numbers.find((n) => n.Phone === phoneOf(1)).status, "failed");
  assert.equal(t.costCount, t.delivered + t.failed);
  assert.equal(delivery.byCountry["86"].delivered, t.delivered);
  assert.equal(delivery.byTemplate.UTA0.delivered, t.delivered);
  assert.equal(calls("GetUSMSSendReceipt"), 1, "3 SessionNos in one call");
  assert.equal(progress.length, 1);
  const bySession = await client.trackDelivery(report.sessionNos, { intervalMs: 20 });
  assert.equal(bySession.numbers.length, t.delivered + t.failed);
  const bad = await client.trackDelivery("nope").then(() => null, (e) => e);
  assert.equal(bad.code, "CONFIG");
});

test("trackDelivery polls until pending receipts turn final; an abort resolves with what is known", async (t) => {
  // Receipts pending for 1 s after the send (margin for a slow machine), then final.
  const slow = await startMock({ undeliverable: [phoneOf(1)], receiptDelayMs: 1000 });
  // Receipts that stay pending.
  const never = await startMock({ receiptDelayMs: 3_600_000 });
  t.after(() => Promise.all([slow.close(), never.close()]));
  const clientOf = (mock) => new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, timeoutMs: 2000 });
  const slowClient = clientOf(slow);
  const report = await slowClient.sendBulk(batch(20), { chunkSize: 10 });
  const progress = [];
  const delivery = await slowClient.trackDelivery(report, { intervalMs: 100, onProgress: (p) => progress.push(p) });
  assert.equal(delivery.complete, true);
  assert.ok(progress.length >= 2, `polled ${progress.length} times`);
  assert.ok(progress[0].pending > 0, "the first round saw pending receipts");
  assert.deepEqual([delivery.totals.delivered, delivery.totals.failed, delivery.totals.pending], [19, 1, 0]);
  const neverClient = clientOf(never);
  const again = await neverClient.sendBulk(batch(5), {});
  const controller = new AbortController();
  setTimeout(() => controller.abort("enough"), 150);
  const partial = await neverClient.trackDelivery(again, { intervalMs: 50, signal: controller.signal });
  assert.equal(partial.complete, false);
  assert.equal(partial.totals.pending, 5, "still pending when aborted, never guessed");
  const timedOut = await neverClient.trackDelivery(again, { intervalMs: 50, timeoutMs: 120 });
  assert.deepEqual([timedOut.complete, timedOut.totals.pending], [false, 5]);
});

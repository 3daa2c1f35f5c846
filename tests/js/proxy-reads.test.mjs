// Reads through the signing proxy, as a browser admin panel makes them: a
// proxy-mode client (no key) whose fetch is the proxy handler. The action
// travels as `?Action=` on the proxy's URL; the proxy checks the read as
// strictly as a send, signs it, and the page's client applies the read rule.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, containsSecret, phoneOf, rejects, sms, startMock } from "./helpers.mjs";

const { createProxyHandler, Client } = sms;
const UNDELIVERABLE = Array.from({ length: 200 }, (_, i) => phoneOf(i * 100 + 7)); // 1 % of 20,000
let mock;
let asked; // [action] per request that reached the proxy
let proxied; // requests that reached the proxy

before(async () => {
  mock = await startMock({
    undeliverable: UNDELIVERABLE,
    templates: { UTA0: "Your code is {1}", UTA1: "Hi {1}", UTA_REVIEW: { Template: "Hi {1}", Status: 1 } },
  });
});
after(() => mock.close());
beforeEach(() => {
  mock.reset();
  asked = [];
  proxied = 0;
});

function proxy(options = {}) {
  return createProxyHandler({
    publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, timeoutMs: 1000,
    allowTemplates: ["UTA0", "UTA1", "UTA_REVIEW"],
    authorize: (request, action) => {
      asked.push(action);
      return request.headers.get("cookie") === "session=ok";
    },
    ...options,
  });
}

/** A client as a page has it: no key, its requests go to the proxy handler. */
function pageClient(handle, options = {}) {
  return new Client({
    proxyUrl: "http://127.0.0.1/sms",
    timeoutMs: 2000,
    fetch: (url, init) => {
      proxied += 1;
      return handle(new Request(url, { ...init, headers: { ...init.headers, cookie: "session=ok" } }));
    },
    ...options,
  });
}

const calls = (action) => mock.requests.filter((r) => r.action === action).length;

test("receipts through the proxy: 250 sessions take 3 calls, authorize learns the action", async () => {
  const client = pageClient(proxy());
  const sent = await client.sendBatch(batch(2));
  const sessionNos = [sent.SessionNo, ...Array.from({ length: 249 }, (_, i) => `unknown-session-${i}`)];
  const result = await client.getReceipts(sessionNos);
  assert.equal(result.receipts.length, 2);
  assert.equal(result.sessionsWithoutReceipts.length, 249);
  assert.equal(calls("GetUSMSSendReceipt"), 3);
  assert.deepEqual(asked, ["SendBatchUSMSMessage", "GetUSMSSendReceipt", "GetUSMSSendReceipt", "GetUSMSSendReceipt"]);
  const templates = await client.getTemplates(["UTA0", "UTA1"]);
  assert.deepEqual(templates.templates.map((t) => [t.TemplateId, t.status]), [["UTA0", "approved"], ["UTA1", "approved"]]);
});

test("a 5xx on a read through the proxy is retried by the page's client; a 5xx on a send is not", async () => {
  const client = pageClient(proxy(), { maxRetries: 2 });
  const sent = await client.sendBatch(batch(1));
  mock.injectFault({ kind: "status500", times: 1 });
  const result = await client.getReceipts([sent.SessionNo]);
  assert.equal(result.receipts.length, 1);
  assert.equal(calls("GetUSMSSendReceipt"), 2, "the proxy passed the 500 on and the page asked again");
  mock.injectFault({ kind: "status500", times: 1 });
  const error = await rejects(client.sendBatch(batch(1)));
  assert.deepEqual([error.code, error.delivery, error.attempts], ["HTTP", "unknown", 1]);
  assert.equal(calls("SendBatchUSMSMessage"), 2, "the failed send was not repeated");
});

test("checkTemplates through the proxy refuses an unapproved template before anything is sent", async () => {
  const client = pageClient(proxy());
  const request = { TaskContent: [{ TemplateId: "UTA_REVIEW", Target: [{ Phone: "+852 5531 1111", TemplateParams: ["1"] }] }] };
  const error = await rejects(client.sendBatch(request, { checkTemplates: true }));
  assert.deepEqual(error.issues.map((i) => [i.path, i.code]), [["TaskContent[0].TemplateId", "TEMPLATE_NOT_APPROVED"]]);
  assert.equal(calls("SendBatchUSMSMessage"), 0);
  assert.equal(calls("QueryUSMSTemplate"), 1);
});

test("the proxy refuses reads it does not offer or that are not one call of plain ids; nothing reaches uSpeedo", async () => {
  const sendsOnly = pageClient(proxy({ allowActions: ["SendBatchUSMSMessage"] }));
  const notOffered = await rejects(sendsOnly.getReceipts(["s"]));
  assert.deepEqual([notOffered.code, notOffered.status, notOffered.issues[0].code], ["VALIDATION", 403, "ACTION_NOT_ALLOWED"]);
  const client = pageClient(proxy());
  const outside = await rejects(client.getTemplates(["UTA_SECRET"]));
  assert.deepEqual([outside.status, outside.issues[0].code, outside.issues[0].path], [403, "TEMPLATE_NOT_ALLOWED", "TemplateId[0]"]);
  // What a hand-made page could post: refused with paths, by the proxy.
  const handle = proxy();
  const post = (body, action) => handle(new Request(`http://127.0.0.1/sms?Action=${action}`, {
    method: "POST", headers: { "content-type": "application/json", cookie: "session=ok" }, body: JSON.stringify(body),
  }));
  const cases = [
    [{ SessionNoSet: Array.from({ length: 101 }, (_, i) => `s${i}`) }, "GetUSMSSendReceipt", 400, "TOO_MANY_IDS", "SessionNoSet"],
    [{ SessionNoSet: ["s", "x".repeat(129)] }, "GetUSMSSendReceipt", 400, "ID_TOO_LONG", "SessionNoSet[1]"],
    [{ SessionNoSet: ["s\u202e"] }, "GetUSMSSendReceipt", 400, "CONTROL_CHARACTER", "SessionNoSet[0]"],
    [{ SessionNoSet: ["s"], AccountId: 42 }, "GetUSMSSendReceipt", 403, "ACCOUNT_NOT_ALLOWED", "AccountId"],
    [{ SessionNoSet: ["s"], Extra: 1 }, "GetUSMSSendReceipt", 400, "UNKNOWN_FIELD", "Extra"],
    [{ TemplateId: ["UTA0"], Action: "GetUSMSSendReceipt" }, "QueryUSMSTemplate", 400, "WRONG_ACTION", "Action"],
    [{ TemplateId: ["UTA0"] }, "CreateUSMSTemplate", 400, "WRONG_ACTION", "Action"],
  ];
  for (const [body, action, status, code, path] of cases) {
    const response = await post(body, action);
    const { error } = await response.json();
    assert.deepEqual([response.status, error.issues[0].code, error.issues[0].path], [status, code, path], JSON.stringify(body));
    assert.equal(containsSecret(error), false);
  }
  assert.equal(mock.requests.length, 0);
});

test("trackDelivery through the proxy over a 20,000-number sendBulk with 1 % undeliverable: every number in one status", async () => {
  const client = pageClient(proxy({ maxTargets: 1000 }));
  const report = await client.sendBulk(batch(20_000, { templates: 2 }), { chunkSize: 1000, concurrency: 4 });
  assert.equal(report.totals.accepted, 20_000);
  const progress = [];
  const delivery = await client.trackDelivery(report, { intervalMs: 20, onProgress: (t) => progress.push(t) });
  assert.equal(delivery.complete, true);
  assert.equal(delivery.numbers.length, 20_000, "every number, once");
  assert.equal(new Set(delivery.numbers.map((n) => n.Phone)).size, 20_000);
  const t = delivery.totals;
  assert.deepEqual([t.delivered, t.failed, t.pending, t.unknown, t.notAccepted, t.notAttempted], [19_800, 200, 0, 0, 0, 0]);
  const failed = delivery.numbers.filter((n) => n.status === "failed");
  assert.deepEqual(failed.map((n) => n.Phone).sort(), [...UNDELIVERABLE].sort());
  assert.ok(failed.every((n) => typeof n.reason === "string" && n.reason !== ""), "failed numbers carry the carrier's reason");
  assert.equal(t.costCount, 20_000);
  assert.equal(delivery.byCountry["86"].delivered + delivery.byCountry["86"].failed, 20_000);
  assert.equal(delivery.byTemplate.UTA0.delivered + delivery.byTemplate.UTA1.delivered, 19_800);
  assert.equal(calls("GetUSMSSendReceipt"), 2, "20 sessions of 1000 numbers: 2 calls of at most 10,000 receipts");
  assert.equal(progress.length, 1);
  assert.equal(mock.duplicates().length, 0);
});

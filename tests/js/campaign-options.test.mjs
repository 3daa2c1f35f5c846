// What an operator sets before a campaign: the suppression list (numbers
// never texted, in any phone form) and the cost estimate of planBulk.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, phoneOf, rejects, sms, startMock } from "./helpers.mjs";

const { Client } = sms;
let mock;
let client;

before(async () => {
  mock = await startMock();
});
after(() => mock.close());
beforeEach(() => {
  mock.reset();
  client = new Client({
    publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url,
    templates: { UTA0: "Your code is {1}", UTA1: "你好 {1}" },
  });
});

/** `+86 139 xxxx xxxx`, the same number as batch()'s i-th in another form. */
const otherForm = (i) => `0086-139-${String(i).padStart(8, "0")}`;

test("suppressed numbers are never sent and are listed with their line; every number accounted for", async () => {
  const suppress = [otherForm(3), `+86 139${String(1500).padStart(8, "0")}`, "+852 5531 1111"];
  const plan = client.planBulk(batch(3000, { templates: 2 }), { suppress });
  assert.deepEqual([plan.targets, plan.sent, plan.suppressed], [3000, 2998, 2]);
  const report = await client.sendBulk(batch(3000, { templates: 2 }), { suppress, chunkSize: 1000 });
  assert.deepEqual(report.suppressed.map((s) => [s.path, s.Phone]), [
    ["TaskContent[0].Target[3]", phoneOf(3)],
    ["TaskContent[1].Target[0]", phoneOf(1500)],
  ]);
  const t = report.totals;
  assert.deepEqual([t.targets, t.sent, t.accepted, t.suppressed], [3000, 2998, 2998, 2]);
  const texted = new Set(mock.accepted.map((a) => a.Phone));
  assert.equal(texted.has(phoneOf(3)) || texted.has(phoneOf(1500)), false, "a suppressed number reached uSpeedo");
  assert.equal(mock.accepted.length, 2998);
  const delivery = await client.trackDelivery(report, { intervalMs: 10 });
  assert.equal(delivery.totals.suppressed, 2);
  assert.equal(delivery.numbers.find((n) => n.Phone === phoneOf(3)).path, "TaskContent[0].Target[3]");
});

test("a bad suppression entry is a CONFIG error naming its index; nothing is sent", async () => {
  const error = await rejects(client.sendBulk(batch(10), { suppress: ["+86 139 0000 0001", "call me"] }));
  assert.equal(error.code, "CONFIG");
  assert.match(error.message, /suppress\[1\]/);
  assert.throws(() => client.planBulk(batch(10), { suppress: "+86 139" }), (e) => e.code === "CONFIG");
  assert.equal(mock.requests.length, 0);
});

test("planBulk estimates SMS parts per chunk and country, and the cost with a price table", () => {
  const request = batch(4, { templates: 2 });
  request.TaskContent[0].Target[1].TemplateParams = ["x".repeat(150)]; // 2 parts
  request.TaskContent.push({ TemplateId: "UTA_NO_TEXT", Target: [{ Phone: "+852 5531 1111", TemplateParams: ["1"] }] });
  const plan = client.planBulk(request, { chunkSize: 3, prices: { 86: 0.05, "+852": 0.04 } });
  const { cost } = plan;
  // UTA0: 1 + 2 parts (GSM-7); UTA1 (UCS-2, short): 1 + 1; UTA_NO_TEXT: unknown.
  assert.deepEqual([cost.parts, cost.targetsWithText, cost.targetsWithoutText], [5, 4, 1]);
  assert.deepEqual(cost.chunkParts, [4, 1]);
  assert.deepEqual(cost.templatesWithoutText, ["UTA_NO_TEXT"]);
  assert.deepEqual(cost.byCountry["86"], { targets: 4, parts: 5, price: 0.05, cost: 0.25 });
  assert.deepEqual(cost.byCountry["852"], { targets: 1, parts: 0, price: 0.04, cost: 0 });
  assert.equal(cost.total, 0.25);
  assert.deepEqual(cost.unpriced, []);
  const unpriced = client.planBulk(request, { prices: { 852: 0.04 } }).cost;
  assert.deepEqual([unpriced.total, unpriced.unpriced], [0, ["86"]]);
  assert.equal(client.planBulk(request).cost.total, undefined);
  assert.throws(() => client.planBulk(request, { prices: { 999: 1 } }), (e) => e.code === "CONFIG" && /999/.test(e.message));
});

// uspeedo-sms/campaign in Node: the same ledger contract in memory, with
// the per-chunk step, a crash after sending, and concurrent claims.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { KEYS, bucketsOf, campaignRequest } from "./harness.mjs";
import { startMockServer } from "../../pkg/mock/server.mjs";
import { MemoryLedger, campaignSender, createJobRecords, planCampaign, runChunk } from "../../pkg/dist/campaign.mjs";

let mock;
before(async () => {
  mock = await startMockServer(KEYS);
});
after(() => mock?.close());

test("MemoryLedger: concurrent deliveries, a crash after sending, every number once", async () => {
  const client = { ...KEYS, baseUrl: mock.url };
  const planned = planCampaign(client, campaignRequest(6_000), { claimTimeoutMs: 0 }, "node-job");
  assert.ok(!JSON.stringify(planned).includes(KEYS.privateKey));
  const ledger = new MemoryLedger();
  const messages = await createJobRecords(ledger, planned);
  const real = campaignSender(client);
  let crashed = false;
  const sender = {
    async send(chunk) {
      const outcome = await real.send(chunk);
      if (!crashed && JSON.parse(chunk).index === 3) {
        crashed = true;
        throw new Error("test: died after sending");
      }
      return outcome;
    },
  };
  // Each message three times at once; the crashed one comes back later.
  const runs = messages.flatMap((m) => [m, m, m]).map((m) => runChunk({ ledger, sender }, m).catch(() => "crashed"));
  assert.equal((await Promise.all(runs)).filter((r) => r === "crashed").length, 1);
  await runChunk({ ledger, sender }, messages[3]);
  const report = await ledger.report();
  assert.equal(report.complete, true);
  assert.equal(bucketsOf(report).size, 6_000);
  assert.deepEqual(mock.duplicates(), []);
  assert.equal(mock.accepted.length, 6_000);
  assert.equal(report.totals.unknown, 1000);
  assert.ok(report.unknown.every((e) => e.chunk === 3));
  assert.equal(report.totals.accepted, 5_000);
});

test("MemoryLedger: trackDelivery rounds run by hand, with dedupe and suppress", async () => {
  const undeliverable = ["(1)4150000007", "(1)4150001500"];
  const receipts = await startMockServer({ ...KEYS, undeliverable });
  try {
    const client = { ...KEYS, baseUrl: receipts.url };
    const request = campaignRequest(2_000);
    request.TaskContent[0].Target.push({ ...request.TaskContent[0].Target[0] });
    const options = { dedupe: true, suppress: ["+1 4150000003"], trackDelivery: { intervalMs: 10 } };
    const planned = planCampaign(client, request, options, "node-delivery");
    const scheduled = [];
    const ledger = new MemoryLedger({ schedule: (ms) => scheduled.push(ms) });
    let asked = null;
    for (const message of await createJobRecords(ledger, planned)) await runChunk({ ledger, sender: campaignSender(client) }, message);
    assert.deepEqual(scheduled, planned.chunks.map(() => 10), "each chunk recorded with a session asks for its receipts");
    const report = await ledger.report();
    assert.deepEqual([report.totals.targets, report.totals.accepted, report.totals.duplicatesDropped, report.totals.suppressed], [2_001, 1_999, 1, 1]);
    for (let round = 0; round < 10; round++) {
      asked = await ledger.trackDelivery(client);
      if (asked.nextInMs === null) break;
      await new Promise((resolve) => setTimeout(resolve, asked.nextInMs));
    }
    assert.equal(asked.nextInMs, null);
    const delivery = await ledger.delivery();
    assert.deepEqual([delivery.totals.delivered, delivery.totals.failed, delivery.totals.suppressed], [1_997, 2, 1]);
    assert.equal(delivery.complete, true);
    assert.deepEqual(receipts.duplicates(), []);
  } finally {
    await receipts.close();
  }
});

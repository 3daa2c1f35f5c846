// The report's accepted entries are laid out in JS from rows the wasm writes
// (pkg/src/report-entries.js), not by JSON.parse of serde's objects as the
// other buckets are. They must be the same objects: same values, same keys in
// the same order, a UserId only where one was given, across chunks that hold
// two tasks (two runs of one part).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, phoneOf, sms, startMock } from "./helpers.mjs";

let mock;
before(async () => {
  mock = await startMock({ blacklist: [phoneOf(7), phoneOf(1203)] });
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

test("accepted entries: the same objects, keys and order as the serde-made buckets", async () => {
  const client = new sms.Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url });
  const report = await client.sendBulk(request(), { concurrency: 2 });
  const expected = [];
  for (let n = 0; n < 3000; n++) {
    if (n === 7 || n === 1203) continue;
    const [t, j] = [Math.floor(n / 1500), n % 1500];
    const entry = { path: `TaskContent[${t}].Target[${j}]`, TemplateId: `UTA${t}`, Phone: phoneOf(n) };
    if (n % 3 === 0) entry.UserId = `user-${n}`;
    entry.chunk = Math.floor(n / 1000);
    expected.push(entry);
  }
  assert.equal(report.totals.accepted, 2998);
  // JSON text compares key order too.
  assert.equal(JSON.stringify(report.accepted), JSON.stringify(expected));
  // The failed bucket is made by serde: its entries' keys, less the reason,
  // are the accepted entries' keys, with and without a UserId.
  const failed = Object.fromEntries(report.failed.map((e) => [e.Phone, e]));
  const keysOf = (e) => Object.keys(e).filter((k) => k !== "reason");
  assert.ok(failed[phoneOf(1203)].reason);
  assert.deepEqual(keysOf(failed[phoneOf(1203)]), Object.keys(report.accepted.find((e) => e.UserId)));
  assert.deepEqual(keysOf(failed[phoneOf(7)]), Object.keys(report.accepted[0].UserId ? report.accepted[1] : report.accepted[0]));
});

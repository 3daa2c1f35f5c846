// The wasm memory given back. A WebAssembly memory only grows: a
// 100,000-number job takes it to ~35 MiB. Once no call has run for a second
// (or at `releaseMemory()`), the package replaces the instance by a fresh
// one; clients, proxy handlers and what they learnt carry on.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, rejects, sms, startMock } from "./helpers.mjs";

const { Client } = sms;
const MiB = 2 ** 20;
/** As pkg/src/wasm.js: above this a finished call's memory is given back. */
const BOUND = 16 * MiB;
const big = batch(100_000, { templates: 4 });
let mock;
let client;

before(async () => {
  mock = await startMock({ templates: { UTA0: "Your code is {1}", UTA_NO: { Template: "x", Status: 3 } } });
});
after(() => mock.close());
beforeEach(() => {
  mock.reset();
  client = new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, timeoutMs: 1500 });
  sms.releaseMemory();
});

/** Plans the 100,000 numbers and checks the memory grew past the bound. */
function grow(by = client) {
  assert.equal(by.planBulk(big).sent, 100_000);
  const grown = sms.wasmMemoryBytes();
  assert.ok(grown > BOUND, `${grown} bytes after the plan`);
  return grown;
}

test("releaseMemory after a 100,000-number plan: a fresh instance's memory, and the client made before goes on", async () => {
  grow();
  assert.equal(sms.releaseMemory(), true);
  assert.ok(sms.wasmMemoryBytes() < 4 * MiB, `${sms.wasmMemoryBytes()} bytes after`);
  assert.equal(sms.releaseMemory(), false, "nothing more to give back");
  assert.equal(client.planBulk(batch(10)).sent, 10);
  const sent = await client.sendBatch(batch(2));
  assert.equal(sent.SuccessCount, 2);
  assert.equal(JSON.stringify(client).includes(PRIVATE_KEY), false);
});

test("templates a client loaded are kept across the new instance: no second lookup, the same verdicts", async () => {
  await client.loadTemplates(["UTA_NO", "UTA0"]);
  const lookups = () => mock.requests.filter((r) => r.action === "QueryUSMSTemplate").length;
  assert.equal(lookups(), 1);
  grow();
  assert.equal(sms.releaseMemory(), true);
  const refused = { TaskContent: [{ TemplateId: "UTA_NO", Target: [{ Phone: "+852 5531 1111" }] }] };
  assert.throws(() => client.planBulk(refused), (e) => e.code === "VALIDATION" && e.issues[0].code === "TEMPLATE_NOT_APPROVED");
  // UTA0's text wants one parameter: none is a mismatch.
  const wrong = { TaskContent: [{ TemplateId: "UTA0", Target: [{ Phone: "+852 5531 1111" }] }] };
  assert.throws(() => client.planBulk(wrong), (e) => e.code === "VALIDATION" && e.issues[0].code === "PARAMS_COUNT_MISMATCH");
  await client.sendBatch(batch(1), { checkTemplates: true });
  assert.equal(lookups(), 1, "checkTemplates knew UTA0 already");
});

test("templates learnt by checkTemplates on a send are kept across the new instance too", async () => {
  const learner = new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url });
  const lookups = () => mock.requests.filter((r) => r.action === "QueryUSMSTemplate").length;
  const before = lookups();
  await learner.sendBatch(batch(1), { checkTemplates: true });
  assert.equal(lookups(), before + 1);
  grow();
  assert.equal(sms.releaseMemory(), true);
  await learner.prepare(batch(1), { checkTemplates: true });
  assert.equal(lookups(), before + 1, "the template learnt before the new instance was known");
});

test("not while a call runs: a sendBulk in flight keeps its instance; the memory goes once it is over", async () => {
  let open;
  const gate = new Promise((resolve) => (open = resolve));
  const gated = new Client({
    publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url,
    fetch: async (url, init) => (await gate, fetch(url, init)),
  });
  const running = gated.sendBulk(batch(2500), { chunkSize: 1000 });
  grow();
  assert.equal(sms.releaseMemory(), false, "a call is in flight");
  open();
  const report = await running;
  assert.equal(report.totals.accepted, 2500);
  assert.equal(mock.requests.filter((r) => r.action === "SendBatchUSMSMessage").length, 3);
  assert.equal(sms.releaseMemory(), true);
});

test("once no call has run for a second, the memory goes by itself", async () => {
  grow();
  await sleep(300);
  // A call in between puts it off: the second counts from the last call.
  assert.equal(client.planBulk(batch(1)).sent, 1);
  const lastCall = performance.now();
  let quiet = 0;
  while (sms.wasmMemoryBytes() > BOUND) {
    quiet = performance.now() - lastCall;
    assert.ok(quiet < 10_000, "not given back after 10 s of quiet");
    await sleep(50);
  }
  quiet = performance.now() - lastCall;
  assert.ok(quiet >= 1000, `given back after ${quiet} ms of quiet`);
  assert.ok(sms.wasmMemoryBytes() < 4 * MiB, `${sms.wasmMemoryBytes()} bytes after`);
  assert.equal(client.planBulk(batch(3)).sent, 3);
});

test("a proxy handler made before the new instance goes on; a finished call's abort listener does nothing after it", async () => {
  const handler = sms.createProxyHandler({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url });
  const controller = new AbortController();
  await client.sendBatch(batch(1), { signal: controller.signal });
  grow();
  assert.equal(sms.releaseMemory(), true);
  controller.abort("late");
  await sleep(10);
  const answer = await handler(new Request("http://127.0.0.1/sms", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch(1)) }));
  assert.equal(answer.status, 200, await answer.clone().text());
  assert.equal((await answer.json()).SuccessCount, 1);
  const error = await rejects(client.sendBatch({ TaskContent: [] }));
  assert.equal(error.code, "VALIDATION");
});

test("the wait for quiet does not keep a Node process alive", () => {
  // The process ends right after the plan: at exit the memory is still
  // grown, so the one-second timer did not hold the process open.
  const script = `
    import * as sms from ${JSON.stringify(new URL("../../pkg/dist/node.mjs", import.meta.url).href)};
    const client = new sms.Client({ publicKey: "pk", privateKey: "sk" });
    const TaskContent = [{ TemplateId: "T", Target: Array.from({ length: 100000 }, (_, i) => ({ Phone: "+86139" + String(i).padStart(8, "0") })) }];
    client.planBulk({ TaskContent });
    process.on("exit", () => console.log(sms.wasmMemoryBytes()));
  `;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.ok(Number(child.stdout.trim()) > BOUND, `memory at exit: ${child.stdout}`);
});

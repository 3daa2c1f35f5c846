// uspeedo-sms/init (dist/init.mjs): nothing works before init({ wasm }),
// every documented source of the .wasm works, anything else is CONFIG.
// Each test imports a fresh copy of the module (a query string), so each
// starts without a wasm.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { test } from "node:test";

const dist = new URL("../../pkg/dist/", import.meta.url);
const bytes = readFileSync(new URL("uspeedo_sms_browser_bg.wasm", dist));
let copies = 0;
const fresh = () => import(new URL(`init.mjs?copy=${++copies}`, dist).href);

const GOOD = { TaskContent: [{ TemplateId: "T", Target: [{ Phone: "+852 5531 1111" }] }] };

function assertWorks(sms) {
  const report = sms.validateBatch(GOOD);
  assert.equal(report.ok, true);
  assert.equal(report.normalized.TaskContent[0].Target[0].Phone, "(852)55311111");
}

const isConfig = (sms) => (e) => e instanceof sms.UspeedoError && e.code === "CONFIG" && e.delivery === "not_sent";

/** A loopback server answering the .wasm at /ok.wasm (as application/wasm) and 404 elsewhere. */
async function wasmServer() {
  const server = createServer((request, response) => {
    if (request.url === "/ok.wasm") response.writeHead(200, { "content-type": "application/wasm" }).end(bytes);
    else response.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

test("before init every call is a CONFIG error naming init", async () => {
  const sms = await fresh();
  assert.throws(() => sms.validateBatch(GOOD), (e) => isConfig(sms)(e) && /init\(\{ wasm \}\)/.test(e.message));
  assert.throws(() => new sms.Client({ proxyUrl: "/sms" }), isConfig(sms));
});

for (const [name, source] of [
  ["bytes (Uint8Array)", () => new Uint8Array(bytes)],
  ["an ArrayBuffer", () => new Uint8Array(bytes).buffer],
  ["a Response", () => new Response(bytes, { headers: { "content-type": "application/wasm" } })],
  ["a Response served without the wasm type", () => new Response(bytes)],
  ["a promise of a Response", () => Promise.resolve(new Response(bytes))],
  ["a WebAssembly.Module", () => new WebAssembly.Module(bytes)],
]) {
  test(`init({ wasm: ${name} })`, async () => {
    const sms = await fresh();
    assert.equal(await sms.init({ wasm: source() }), undefined);
    assertWorks(sms);
  });
}

test("init({ wasm: URL or string }) fetches it; a 404 rejects and a later init may try again", async () => {
  const server = await wasmServer();
  try {
    const byString = await fresh();
    await byString.init({ wasm: `${server.base}/ok.wasm` });
    assertWorks(byString);
    const byUrl = await fresh();
    await assert.rejects(byUrl.init({ wasm: new URL("/missing.wasm", server.base) }), /HTTP 404/);
    assert.throws(() => byUrl.validateBatch(GOOD), isConfig(byUrl));
    await byUrl.init({ wasm: new URL("/ok.wasm", server.base) });
    assertWorks(byUrl);
  } finally {
    await server.close();
  }
});

test("init is once: later calls get the first promise", async () => {
  const sms = await fresh();
  const first = sms.init({ wasm: new Uint8Array(bytes) });
  assert.equal(sms.init({ wasm: "never fetched" }), first);
  await first;
  assertWorks(sms);
});

test("anything else is a CONFIG error, and nothing is loaded", async () => {
  const sms = await fresh();
  for (const wasm of [undefined, null, 42, {}, [1, 2]]) {
    await assert.rejects(sms.init({ wasm }), isConfig(sms));
  }
  await assert.rejects(sms.init(), isConfig(sms));
  assert.throws(() => sms.validateBatch(GOOD), isConfig(sms));
});

// A panic inside the wasm (forced through a test-only export of the
// test-hook build) surfaces as an INTERNAL error, and the next call works on
// a fresh instance.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";

const build = new URL("../output/panic-build/dist/node.mjs", import.meta.url);

test("a panic becomes an INTERNAL error and later calls still work", { skip: !existsSync(build) && "run pkg/build/build.mjs --test-hook first" }, async () => {
  const sms = await import(build.href);
  assert.equal(sms.validateBatch({ TaskContent: [] }).ok, false);
  assert.throws(() => sms.__forcePanic(), (e) => e instanceof sms.UspeedoError && e.code === "INTERNAL");
  const after = sms.validateBatch({ TaskContent: [{ TemplateId: "T", Target: [{ Phone: "+852 5531 1111" }] }] });
  assert.equal(after.ok, true);
  assert.equal(after.normalized.TaskContent[0].Target[0].Phone, "(852)55311111");
});

// A panic inside an async call happens in a callback the runtime invokes
// (a timer, a promise reaction), where the trap used to escape as an
// uncaught exception and end the Node process. It rejects the call now.
test("a panic inside an async call rejects it as INTERNAL, and the process lives on", { skip: !existsSync(build) && "run pkg/build/build.mjs --test-hook first" }, async () => {
  const sms = await import(build.href);
  await assert.rejects(sms.__forcePanicLater(), (e) => e instanceof sms.UspeedoError && e.code === "INTERNAL" && e.delivery === "unknown");
  const client = new sms.Client({ publicKey: "pub", privateKey: "secret-key", baseUrl: "http://127.0.0.1:9/api", fetch: accepted() });
  const result = await client.sendBatch(oneNumber);
  assert.equal(result.SuccessCount, 1);
});

test("calls in flight when a panic re-creates the instance are rejected as unknown, never left pending", { skip: !existsSync(build) && "run pkg/build/build.mjs --test-hook first" }, async () => {
  const sms = await import(build.href);
  let answered = 0;
  const slow = accepted(100, () => answered++);
  const client = new sms.Client({ publicKey: "pub", privateKey: "secret-key", baseUrl: "http://127.0.0.1:9/api", fetch: slow });
  // A synchronous panic while a send waits for its answer, then one inside an async call.
  for (const panic of [() => assert.throws(() => sms.__forcePanic()), () => sms.__forcePanicLater().catch(() => {})]) {
    const inFlight = client.sendBatch(oneNumber);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await panic();
    await assert.rejects(inFlight, (e) => e.code === "INTERNAL" && e.delivery === "unknown");
  }
  // The stale answers arrive later and are dropped without a throw.
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(answered, 2);
  assert.equal((await client.sendBatch(oneNumber)).SuccessCount, 1);
});

const oneNumber = { TaskContent: [{ TemplateId: "T", Target: [{ Phone: "+852 5531 1111" }] }] };

/** A fetch that accepts every number, after `delayMs`. */
function accepted(delayMs = 0, onAnswer = () => {}) {
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    onAnswer();
    return new Response(JSON.stringify({ RetCode: 0, SessionNo: "S1", SuccessCount: 1 }), { headers: { "content-type": "application/json" } });
  };
}

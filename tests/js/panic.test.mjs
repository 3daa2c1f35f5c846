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

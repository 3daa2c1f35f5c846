// Values JSON cannot express and numbers that are not numbers, handed to
// the public API (issue 16, items 1, 2 and 8): each is a validation issue
// or a CONFIG error naming the field, never a TypeError and never "not given".
import { test } from "node:test";
import assert from "node:assert/strict";
import { PRIVATE_KEY, PUBLIC_KEY, batch, sms } from "./helpers.mjs";

const { Client, UspeedoError, signPayload, validateBatch } = sms;
const client = () => new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: "http://127.0.0.1:9/api" });
const one = (target) => ({ TaskContent: [{ TemplateId: "UTA1", Target: [target] }] });

async function rejects(promise, code) {
  await assert.rejects(promise, (e) => e instanceof UspeedoError && e.code === code);
}

test("functions and Symbols are validation issues with a path, never a TypeError", async () => {
  for (const input of [() => {}, Symbol("x")]) {
    const v = validateBatch(input);
    assert.equal(v.ok, false);
    assert.deepEqual(v.errors.map((i) => [i.path, i.code]), [["", "INVALID_JSON"]]);
  }
  const inside = validateBatch({ TaskContent: [{ TemplateId: "UTA1", Target: [{ Phone: () => 1 }, { Phone: "5550001", TemplateParams: [Symbol("p")] }] }] });
  assert.deepEqual(inside.errors.map((i) => [i.path, i.code]), [
    ["TaskContent[0].Target[0].Phone", "INVALID_JSON"],
    ["TaskContent[0].Target[1].TemplateParams[0]", "INVALID_JSON"],
  ]);
  await rejects(client().sendBatch(() => {}), "VALIDATION");
  await rejects(client().prepare(Symbol("r")), "VALIDATION");
  assert.throws(() => signPayload(() => 1, PRIVATE_KEY), (e) => e instanceof UspeedoError && e.code === "VALIDATION");
  assert.throws(() => signPayload({ a: NaN }, PRIVATE_KEY), (e) => e instanceof UspeedoError && e.code === "VALIDATION");
});

test("NaN and Infinity are wrong values, never 'not given'", async () => {
  const v = validateBatch({ AccountId: NaN, ...one({ Phone: "5550001" }) });
  assert.deepEqual(v.errors.map((i) => [i.path, i.code]), [["AccountId", "INVALID_ACCOUNT_ID"]]);
  assert.equal(validateBatch({ AccountId: Infinity, ...one({ Phone: "5550001" }) }).errors[0].code, "INVALID_ACCOUNT_ID");
  assert.throws(
    () => new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, timeoutMs: NaN }),
    (e) => e instanceof UspeedoError && e.code === "CONFIG" && /timeoutMs/.test(e.message),
  );
  assert.throws(
    () => client().planBulk(batch(10), { concurrency: Infinity }),
    (e) => e instanceof UspeedoError && e.code === "CONFIG" && /concurrency/.test(e.message),
  );
  // A limit cannot be lifted by a bad value.
  const limited = validateBatch(batch(1001), { maxTargets: NaN });
  assert.equal(limited.ok, false);
  assert.equal(limited.errors[0].path, "(options)");
  assert.equal(validateBatch(batch(1001), {}).errors[0].code, "TOO_MANY_TARGETS");
});

test("misspelt fields get the nearest known name as a hint", () => {
  const v = validateBatch({ TaskContent: [{ TemplateId: "UTA1", Targets: [], Target: [{ Phone: "5550001", TemplateParam: ["1"] }] }] });
  const messages = Object.fromEntries(v.errors.map((i) => [i.path, i.message]));
  assert.match(messages["TaskContent[0].Targets"], /did you mean Target\?/);
  assert.match(messages["TaskContent[0].Target[0].TemplateParam"], /did you mean TemplateParams\?/);
});

test("a custom fetch that resolves to something that is not a Response is BAD_RESPONSE/unknown, never a crash", async () => {
  const answers = [
    null, 42, {}, { status: 200 }, { status: 200, headers: {} },
    { status: 200, headers: { get: () => { throw new Error("no headers"); } }, body: "not a stream" },
    { status: 200, headers: { get: () => null }, body: { getReader: () => ({ read: () => Promise.resolve({ done: false, value: "text" }) }) } },
  ];
  for (const answer of answers) {
    const client = new sms.Client({ publicKey: "pk", privateKey: "sk", baseUrl: "http://127.0.0.1:9/api", maxRetries: 0, fetch: async () => answer });
    const request = { TaskContent: [{ TemplateId: "T", Target: [{ Phone: "+852 5531 1111" }] }] };
    const error = await client.sendBatch(request).then(() => null, (e) => e);
    assert.ok(error instanceof sms.UspeedoError, `${JSON.stringify(answer)}: ${error}`);
    assert.equal(error.delivery, "unknown", `${JSON.stringify(answer)}: ${error.code}`);
  }
});

test("a getter that throws, or a revoked Proxy, is an issue at its path, never a crash or a hung promise", async () => {
  const throwing = () => Object.defineProperty({ Phone: "5550001" }, "UserId", { enumerable: true, get() { throw new Error("getter says no"); } });
  const request = one(throwing());
  const v = validateBatch(request);
  assert.deepEqual(v.errors.map((i) => [i.path, i.code]), [["TaskContent[0].Target[0].UserId", "INVALID_JSON"]]);
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  assert.deepEqual(validateBatch(one(revoked.proxy)).errors.map((i) => [i.path, i.code]), [["TaskContent[0].Target[0]", "INVALID_JSON"]]);
  await rejects(client().prepare(request), "VALIDATION");
  await rejects(client().sendBatch(request), "VALIDATION");
  assert.throws(() => client().planBulk(request), (e) => e instanceof UspeedoError && e.code === "VALIDATION");
  await rejects(client().sendBulk(request), "VALIDATION");
  assert.throws(() => signPayload({ a: throwing() }, PRIVATE_KEY), (e) => e instanceof UspeedoError && e.code === "VALIDATION");
  const options = Object.defineProperty({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY }, "timeoutMs", { enumerable: true, get() { throw new Error("no"); } });
  assert.throws(() => new Client(options), (e) => e instanceof UspeedoError && e.code === "CONFIG");
  // The instance is whole afterwards.
  assert.equal(validateBatch(one({ Phone: "5550001" })).ok, true);
});

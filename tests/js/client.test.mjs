// sendBatch against the mock: results, typed errors, the duplicate-safe
// retry rule, timeouts, aborts, hooks and the private key's secrecy.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, containsSecret, rejects, phoneOf, sms, startMock } from "./helpers.mjs";

const { Client, UspeedoError } = sms;
let mock;
let client;
const events = [];

before(async () => {
  mock = await startMock({ blacklist: [phoneOf(1)] });
});
after(() => mock.close());
beforeEach(() => {
  mock.reset();
  events.length = 0;
  client = new Client({
    publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, timeoutMs: 2000,
    onRequest: (e) => events.push(e), onResponse: (e) => events.push(e),
  });
});


test("a partial failure is a result with the failed numbers and a resend request", async () => {
  const result = await client.sendBatch(batch(3));
  assert.equal(result.RetCode, 0);
  assert.equal(result.SuccessCount, 2);
  assert.ok(result.SessionNo);
  assert.ok(result.requestId);
  assert.deepEqual(result.failed.map((f) => [f.Phone, f.FailureDetails]), [[phoneOf(1), "phone in the black list"]]);
  assert.deepEqual(result.resendRequest.TaskContent[0].Target, [{ Phone: phoneOf(1), TemplateParams: ["1"] }]);
  assert.equal(mock.acceptedCount(), 2);
  assert.ok(!containsSecret(result));
});

test("invalid input is a VALIDATION error naming every field, and nothing is sent", async () => {
  const error = await rejects(client.sendBatch({ TaskContent: [{ TemplateId: " T", Target: [{ Phone: "abc" }, {}] }] }));
  assert.equal(error.code, "VALIDATION");
  assert.equal(error.delivery, "not_sent");
  assert.deepEqual(error.issues.map((i) => [i.path, i.code]), [
    ["TaskContent[0].TemplateId", "SURROUNDING_WHITESPACE"],
    ["TaskContent[0].Target[0].Phone", "PHONE_INVALID_CHARACTERS"],
    ["TaskContent[0].Target[1].Phone", "REQUIRED"],
  ]);
  assert.equal(mock.requests.length, 0);
});

test("more than 1000 numbers is refused before sending and points to sendBulk", async () => {
  const error = await rejects(client.sendBatch(batch(1001)));
  assert.equal(error.issues[0].code, "TOO_MANY_TARGETS");
  assert.match(error.issues[0].message, /1001.*sendBulk/);
  assert.equal(mock.requests.length, 0);
});

test("bad credentials are an API error with uSpeedo's RetCode", async () => {
  const wrong = new Client({ publicKey: PUBLIC_KEY, privateKey: "wrong-key", baseUrl: mock.url });
  const error = await rejects(wrong.sendBatch(batch(1)));
  assert.equal(error.code, "API");
  assert.equal(error.retCode, 215398);
  assert.equal(error.apiMessage, "Failed to parse token");
  assert.equal(error.delivery, "not_sent");
  assert.ok(error.requestId);
});

test("HTTP 429 is retried after Retry-After, with a fresh nonce", async () => {
  mock.injectFault({ kind: "status429", retryAfter: 0 });
  const result = await client.sendBatch(batch(1));
  assert.equal(result.SuccessCount, 1);
  const requests = events.filter((e) => "headers" in e);
  assert.equal(requests.length, 2);
  assert.notEqual(requests[0].headers["X-Nonce"], requests[1].headers["X-Nonce"]);
});

test("HTTP 500 is never retried: the batch may have been processed", async () => {
  mock.injectFault({ kind: "status500", processed: true });
  const error = await rejects(client.sendBatch(batch(2)));
  assert.equal(error.code, "HTTP");
  assert.equal(error.status, 500);
  assert.equal(error.delivery, "unknown");
  assert.equal(error.attempts, 1);
  assert.equal(mock.requests.length, 1);
});

test("a connection reset after the body was read is NETWORK/unknown and not retried", async () => {
  mock.injectFault({ kind: "resetAfterBody" });
  const error = await rejects(client.sendBatch(batch(2)));
  assert.equal(error.code, "NETWORK");
  assert.equal(error.delivery, "unknown");
  assert.equal(mock.duplicates().length, 0);
  assert.equal(mock.requests.length, 1);
});

test("no answer within timeoutMs is TIMEOUT/unknown, not retried", async () => {
  mock.injectFault({ kind: "hang" });
  const error = await rejects(client.sendBatch(batch(1), { timeoutMs: 200 }));
  assert.equal(error.code, "TIMEOUT");
  assert.equal(error.delivery, "unknown");
  assert.equal(mock.requests.length, 1);
});

test("the caller's signal aborts: before sending it is not_sent, in flight unknown", async () => {
  const early = await rejects(client.sendBatch(batch(1), { signal: AbortSignal.abort() }));
  assert.equal(early.code, "ABORTED");
  assert.equal(early.delivery, "not_sent");
  mock.injectFault({ kind: "hang" });
  const late = await rejects(client.sendBatch(batch(1), { signal: AbortSignal.timeout(100) }));
  assert.equal(late.code, "ABORTED");
  assert.equal(late.delivery, "unknown");
});

test("the timeout holds while the garbage collector runs (the fetch's Request is kept alive)", { timeout: 15_000 }, async () => {
  // Node's fetch follows an AbortSignal through a weak reference from its
  // Request: once that is collected an abort no longer arrives. This hung
  // every call to a server that never answers before the fix.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  const collecting = setInterval(gc, 10);
  try {
    mock.injectFault({ kind: "hang" });
    const error = await rejects(client.sendBatch(batch(1), { timeoutMs: 300 }));
    assert.equal(error.code, "TIMEOUT");
  } finally {
    clearInterval(collecting);
  }
});

test("an abort reason that is not an Error is ABORTED, before sending and in flight", async () => {
  const early = new AbortController();
  early.abort("stop");
  const before = await rejects(client.sendBatch(batch(1), { signal: early.signal }));
  assert.deepEqual([before.code, before.delivery, before.cause], ["ABORTED", "not_sent", "stop"]);
  mock.injectFault({ kind: "hang" });
  const late = new AbortController();
  setTimeout(() => late.abort("stop"), 100);
  const during = await rejects(client.sendBatch(batch(1), { signal: late.signal }));
  assert.deepEqual([during.code, during.delivery], ["ABORTED", "unknown"]);
  mock.injectFault({ kind: "hang" });
  const bulk = new AbortController();
  setTimeout(() => bulk.abort(42), 100);
  const report = await client.sendBulk(batch(3), { chunkSize: 1, concurrency: 1, signal: bulk.signal });
  assert.equal(report.totals.unknown + report.totals.notAttempted, 3);
});

test("a signal that is not an AbortSignal is a CONFIG error, not a crash", async () => {
  for (const signal of [{}, "stop", 1, { aborted: "no" }]) {
    const error = await rejects(client.sendBatch(batch(1), { signal }));
    assert.equal(error.code, "CONFIG");
    assert.match(error.message, /signal must be an AbortSignal/);
    const bulk = await rejects(client.sendBulk(batch(2), { signal }));
    assert.equal(bulk.code, "CONFIG");
  }
  assert.equal(mock.requests.length, 0);
  // Nothing leaked: a wasm object per refused call would grow the memory.
  const before = sms.wasmMemoryBytes();
  for (let i = 0; i < 2000; i++) await client.sendBulk(batch(2), { signal: {} }).catch(() => {});
  assert.equal(sms.wasmMemoryBytes(), before);
});

test("unreadable answers are BAD_RESPONSE/unknown; RetCode as a string is tolerated", async () => {
  mock.injectFault({ kind: "truncatedJson" });
  const truncated = await rejects(client.sendBatch(batch(1)));
  assert.equal(truncated.code, "BAD_RESPONSE");
  assert.equal(truncated.delivery, "unknown");
  mock.injectFault({ kind: "html502" });
  const html = await rejects(client.sendBatch(batch(1)));
  assert.equal(html.code, "HTTP");
  assert.match(html.bodyExcerpt, /502/);
  mock.injectFault({ kind: "retCodeString" });
  assert.equal((await client.sendBatch(batch(1))).RetCode, 0);
  mock.injectFault({ kind: "duplicateKeys" });
  assert.equal((await rejects(client.sendBatch(batch(1)))).code, "BAD_RESPONSE");
});

test("a refused connection is retried, then NETWORK/not_sent", async () => {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const down = new Client({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 1 });
  const error = await rejects(down.sendBatch(batch(1)));
  assert.equal(error.code, "NETWORK");
  assert.equal(error.delivery, "not_sent");
  assert.equal(error.attempts, 2);
});

test("hooks see redacted headers, status, duration and request id", async () => {
  await client.sendBatch(batch(1));
  const [request, response] = events;
  assert.equal(request.headers["X-Signature"], "[redacted]");
  assert.equal(request.headers["X-Access-Key-Id"], "[redacted]");
  assert.equal(response.status, 200);
  assert.ok(response.durationMs >= 0);
  assert.ok(response.requestId);
  assert.ok(!containsSecret(events));
});

test("prepare returns the signed request without sending it", async () => {
  const prepared = await client.prepare(batch(1));
  assert.equal(prepared.method, "POST");
  assert.match(prepared.url, /\?Action=SendBatchUSMSMessage$/);
  assert.match(prepared.headers["X-Signature"], /^[0-9a-f]{40}$/);
  assert.deepEqual(JSON.parse(prepared.body).TaskContent[0].Target[0].Phone, phoneOf(0));
  assert.ok(!containsSecret(prepared));
  assert.equal(mock.requests.length, 0);
});

test("options are checked once, naming the option and never the key", () => {
  for (const [options, pattern] of [
    [{ publicKey: PUBLIC_KEY }, /privateKey/],
    [{ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, timeoutMs: -1 }, /timeoutMs/],
    [{ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, retries: 3 }, /unknown option "retries"/],
    [{ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, fetch: "nope" }, /fetch must be a function/],
    [{ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, headers: { "X-Signature": "x" } }, /cannot be overridden/],
  ]) {
    assert.throws(() => new Client(options), (e) => e instanceof UspeedoError && e.code === "CONFIG" && pattern.test(e.message) && !containsSecret(e));
  }
  const fromEnv = Client.fromEnv({ USPEEDO_PUBLIC_KEY: PUBLIC_KEY, USPEEDO_PRIVATE_KEY: PRIVATE_KEY, USPEEDO_ACCOUNT_ID: "42" });
  assert.equal(fromEnv.toJSON().accountId, 42);
  assert.ok(!containsSecret(fromEnv.toJSON()));
  assert.ok(!JSON.stringify(fromEnv).includes(PRIVATE_KEY));
});

test("per-call options are checked too", async () => {
  await assert.rejects(client.sendBatch(batch(1), { timeoutMs: "5s" }), (e) => e instanceof UspeedoError && e.code === "CONFIG" && /timeoutMs/.test(e.message));
  await assert.rejects(client.sendBatch(batch(1), { timeout: 5 }), (e) => e.code === "CONFIG" && /unknown sendBatch option "timeout"/.test(e.message));
  assert.equal(mock.requests.length, 0);
});

// The transport's rules at their edges: redirects are answers, a fetch that
// ignores its signal still times out, requests that cannot be made are
// not_sent, options fetch would refuse are refused when the client is made,
// and the proxy decides the account and answers JSON only.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, containsSecret, rejects, sms, startMock } from "./helpers.mjs";

const { Client, UspeedoError, createProxyHandler, validateBatch } = sms;
let mock;

before(async () => {
  mock = await startMock();
});
after(() => mock.close());
beforeEach(() => mock.reset());


function throws(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UspeedoError, `expected UspeedoError, got ${error}`);
    return error;
  }
  assert.fail("expected a throw");
}

const keys = { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY };

test("a redirect is an answer: HTTP/not_sent, never followed to its Location", async (t) => {
  for (const status of [301, 302, 307, 308]) {
    const redirector = createServer((req, res) => {
      req.resume();
      res.writeHead(status, { Location: mock.url }).end();
    });
    await new Promise((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    t.after(() => redirector.close());
    const client = new Client({ ...keys, baseUrl: `http://127.0.0.1:${redirector.address().port}/api` });
    const error = await rejects(client.sendBatch(batch(1)));
    assert.deepEqual([error.code, error.delivery, error.status, error.attempts], ["HTTP", "not_sent", status, 1]);
    assert.match(error.message, /redirect/);
  }
  assert.equal(mock.requests.length, 0, "the signed batch was re-posted to the redirect's target");
});

test("a custom fetch that never settles and ignores the signal still times out", { timeout: 15_000 }, async () => {
  const client = new Client({ ...keys, baseUrl: mock.url, timeoutMs: 200, fetch: () => new Promise(() => {}) });
  const error = await rejects(client.sendBatch(batch(1)));
  assert.deepEqual([error.code, error.delivery], ["TIMEOUT", "unknown"]);
  const report = await client.sendBulk(batch(2), { chunkSize: 1, concurrency: 1 });
  assert.equal(report.totals.unknown, 2);
});

test("a body that never ends and ignores the signal still times out", { timeout: 15_000 }, async () => {
  const stalled = () => new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), { status: 200 });
  const client = new Client({ ...keys, baseUrl: mock.url, timeoutMs: 200, fetch: async () => stalled() });
  const error = await rejects(client.sendBatch(batch(1)));
  assert.deepEqual([error.code, error.delivery], ["TIMEOUT", "unknown"]);
});

test("a request that cannot be made (a relative proxyUrl outside a page) is CONFIG/not_sent", async () => {
  const error = await rejects(new Client({ proxyUrl: "/sms" }).sendBatch(batch(1)));
  assert.deepEqual([error.code, error.delivery], ["CONFIG", "not_sent"]);
});

test("options fetch would refuse are refused when the client is made, never echoing credentials", () => {
  const cases = [
    [{ baseUrl: "https://user:hunter2@api.uspeedo.com/api" }, /user name or password/],
    [{ baseUrl: "https://api.uspeedo.com:99999/api" }, /port/],
    [{ baseUrl: "http://api.uspeedo.com/api" }, /unencrypted/],
    [{ headers: { "X-Team": "équipe" } }, /ASCII/],
    [{ userAgent: "app/1 ✓" }, /ASCII/],
  ];
  for (const [options, message] of cases) {
    const error = throws(() => new Client({ ...keys, ...options }));
    assert.deepEqual([error.code, error.delivery], ["CONFIG", "not_sent"]);
    assert.match(error.message, message);
    assert.ok(!error.message.includes("hunter2"), error.message);
  }
  assert.ok(new Client({ ...keys, baseUrl: "http://127.0.0.1:9/api" }), "loopback http stays allowed");
});

test("every bidi and invisible format character is refused in ids", () => {
  for (const c of ["\u061c", "\u180e", "\u00ad", "\u200b", "\u2066", "\u{e0041}"]) {
    const result = validateBatch({ TaskContent: [{ TemplateId: `UTA${c}1`, Target: [{ Phone: "+852 5531 1111" }] }] });
    assert.equal(result.ok, false, `U+${c.codePointAt(0).toString(16)}`);
    assert.equal(result.errors[0].code, "CONTROL_CHARACTER");
    assert.equal(result.errors[0].path, "TaskContent[0].TemplateId");
  }
});

function proxy(options = {}) {
  return createProxyHandler({ ...keys, baseUrl: mock.url, allowTemplates: ["UTA0"], ...options });
}

function post(handle, body) {
  return handle(new Request("http://127.0.0.1/sms", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  }));
}

test("through the proxy the server chooses the account: another AccountId is refused", async () => {
  const withAccount = (id) => ({ ...batch(1), AccountId: id });
  const refused = await post(proxy({ accountId: 1111 }), withAccount(9999));
  assert.equal(refused.status, 403);
  const { error } = await refused.json();
  assert.equal(error.issues[0].code, "ACCOUNT_NOT_ALLOWED");
  assert.equal(error.issues[0].path, "AccountId");
  assert.equal((await post(proxy(), withAccount(1111))).status, 403, "without a configured account, none may be named");
  assert.equal(mock.requests.length, 0);
  assert.equal((await post(proxy({ accountId: 1111 }), withAccount(1111))).status, 200);
  assert.equal((await post(proxy({ accountId: 1111, allowAccountIds: [2222] }), withAccount(2222))).status, 200);
  assert.equal((await post(proxy({ accountId: 1111 }), batch(1))).status, 200, "no AccountId: the server's");
  assert.equal(mock.requests.length, 3);
});

test("the proxy answers JSON only, never sniffed, never cached", async () => {
  const handle = proxy();
  const answers = [await post(handle, batch(1)), await post(handle, { TaskContent: [] })];
  mock.injectFault({ kind: "html502" });
  const html = await post(handle, batch(1));
  answers.push(html);
  for (const response of answers) {
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.match(response.headers.get("content-type"), /^application\/json/);
  }
  assert.equal(html.status, 502, "the status is uSpeedo's, for the browser's client to judge");
  const { upstream } = await html.json();
  assert.equal(upstream.status, 502);
  assert.match(upstream.contentType, /^text\/html/);
  assert.match(upstream.bodyExcerpt, /502 Bad Gateway/);
});

test("sendBatch's resendRequest holds only numbers of the request, each once", async () => {
  const request = batch(2);
  const [mine] = request.TaskContent[0].Target;
  const answer = {
    RetCode: 0, SessionNo: "s", SuccessCount: 1, FailContent: [{
      TemplateId: "UTA0",
      Target: [
        ...Array.from({ length: 20 }, () => ({ Phone: "(86)13900000000", FailureDetails: "blacklisted" })),
        { Phone: "(852)55311111", FailureDetails: "never sent to it" },
      ],
    }, { TemplateId: "UTA_OTHER", Target: [{ Phone: "(86)13900000001", FailureDetails: "other template" }] }],
  };
  const client = new Client({ ...keys, baseUrl: mock.url, fetch: async () => Response.json(answer) });
  const result = await client.sendBatch(request);
  assert.equal(mine.Phone, "+86 13900000000");
  assert.deepEqual(result.failed.map((f) => f.Phone), ["(86)13900000000"]);
  assert.deepEqual(result.resendRequest.TaskContent.flatMap((t) => t.Target.map((x) => x.Phone)), ["(86)13900000000"]);
  assert.match(result.mismatch, /^21 failures/);
});

test("the proxy's abuse controls: allowSenderIds, rejectDuplicates, maxParams, maxParamLength", async () => {
  const handle = proxy({ allowSenderIds: ["uspeedo"], rejectDuplicates: true, maxParams: 2, maxParamLength: 10 });
  const target = (extra = {}) => ({ Phone: "+852 5531 1111", TemplateParams: ["1"], ...extra });
  const cases = [
    [{ TaskContent: [{ TemplateId: "UTA0", SenderId: "other", Target: [target()] }] }, 403, "SENDER_NOT_ALLOWED", "TaskContent[0].SenderId"],
    [{ TaskContent: [{ TemplateId: "UTA0", Target: [target({ SenderId: "other" })] }] }, 403, "SENDER_NOT_ALLOWED", "TaskContent[0].Target[0].SenderId"],
    [{ TaskContent: [{ TemplateId: "UTA0", Target: [target(), target()] }] }, 400, "DUPLICATE_PHONE", "TaskContent[0].Target[1].Phone"],
    [{ TaskContent: [{ TemplateId: "UTA0", Target: [target({ TemplateParams: ["1", "2", "3"] })] }] }, 400, "TOO_MANY_PARAMS", "TaskContent[0].Target[0].TemplateParams"],
    [{ TaskContent: [{ TemplateId: "UTA0", Target: [target({ TemplateParams: ["x".repeat(11)] })] }] }, 400, "PARAM_TOO_LONG", "TaskContent[0].Target[0].TemplateParams[0]"],
  ];
  for (const [body, status, code, path] of cases) {
    const response = await post(handle, body);
    assert.equal(response.status, status, code);
    const { error } = await response.json();
    assert.deepEqual([error.issues[0].code, error.issues[0].path], [code, path]);
  }
  assert.equal(mock.requests.length, 0);
  assert.equal((await post(handle, { TaskContent: [{ TemplateId: "UTA0", SenderId: "uspeedo", Target: [target()] }] })).status, 200);
  assert.throws(() => proxy({ maxParams: -1 }), (e) => e.code === "CONFIG" && /maxParams/.test(e.message));
});

// createProxyHandler: every refusal rule, and forwarding to the mock, called
// as a plain Fetch-API handler (as a Worker or the Node adapter would).
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { PRIVATE_KEY, PUBLIC_KEY, batch, containsSecret, sms, startMock } from "./helpers.mjs";

const { createProxyHandler, Client, UspeedoError } = sms;
let mock;
let handle;

before(async () => {
  mock = await startMock();
});
after(() => mock.close());
beforeEach(() => {
  mock.reset();
  handle = createProxyHandler({
    publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, baseUrl: mock.url, timeoutMs: 1000,
    allowTemplates: ["UTA0", "UTA1"], maxTargets: 500, maxBodyBytes: 64 * 1024,
    authorize: (request) => request.headers.get("cookie") === "session=ok",
  });
});

function post(body, { type = "application/json", cookie = "session=ok", method = "POST" } = {}) {
  const init = { method, headers: { "content-type": type, cookie } };
  if (method === "POST") init.body = typeof body === "string" ? body : JSON.stringify(body);
  return handle(new Request("http://127.0.0.1/sms", init));
}

async function refusal(response, status) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get("x-uspeedo-proxy-error"), "1");
  const { error } = await response.json();
  assert.equal(error.delivery === "not_sent" || error.delivery === "unknown", true);
  assert.equal(error.status, status, "the refusal carries its status for the browser");
  assert.ok(!containsSecret(error));
  return error;
}

test("forwards a valid batch signed, and passes uSpeedo's answer through", async () => {
  const response = await post(batch(3));
  assert.equal(response.status, 200);
  assert.ok(response.headers.get("x-speedo-request-uuid"));
  const body = await response.json();
  assert.equal(body.SuccessCount, 3);
  assert.equal(mock.acceptedCount(), 3);
});

test("refuses what it must, with the right status and nothing forwarded", async () => {
  assert.equal((await refusal(await post(null, { method: "GET" }), 405)).code, "HTTP");
  await refusal(await post(batch(1), { type: "text/plain" }), 415);
  await refusal(await post(batch(1), { cookie: "session=stolen" }), 403);
  await refusal(await post("x".repeat(70 * 1024)), 413);
  await refusal(await post("{not json"), 400);
  const tooMany = await refusal(await post(batch(501)), 400);
  assert.equal(tooMany.issues[0].code, "TOO_MANY_TARGETS");
  const notAllowed = await refusal(await post({ TaskContent: [{ TemplateId: "UTA9", Target: [{ Phone: "12345" }] }] }), 403);
  assert.equal(notAllowed.issues[0].code, "TEMPLATE_NOT_ALLOWED");
  const injected = await refusal(await post({ TaskContent: [{ TemplateId: "UTA0", SenderId: "a\r\nX-Evil: 1", Target: [{ Phone: "12345" }] }] }), 400);
  assert.equal(injected.issues[0].code, "CONTROL_CHARACTER");
  const nested = await refusal(await post("[".repeat(5000)), 400);
  assert.equal(nested.code, "VALIDATION");
  assert.equal(mock.requests.length, 0);
});

test("an upstream that never answers gives 504 TIMEOUT/unknown", async () => {
  mock.injectFault({ kind: "hang" });
  const error = await refusal(await post(batch(1)), 504);
  assert.equal(error.code, "TIMEOUT");
  assert.equal(error.delivery, "unknown");
});

test("a proxy-mode client gets the proxy's refusals as typed errors", async () => {
  const browserLike = new Client({
    proxyUrl: "http://127.0.0.1/sms",
    fetch: (url, init) => handle(new Request(url, { ...init, headers: { ...init.headers, cookie: "session=ok" } })),
  });
  const result = await browserLike.sendBatch(batch(2));
  assert.equal(result.SuccessCount, 2);
  await assert.rejects(browserLike.sendBatch({ TaskContent: [{ TemplateId: "UTA9", Target: [{ Phone: "12345" }] }] }),
    (e) => e instanceof UspeedoError && e.code === "VALIDATION" && e.issues[0].code === "TEMPLATE_NOT_ALLOWED");
  const report = await browserLike.sendBulk(batch(1200, { templates: 2, prefix: "+86 137" }), { chunkSize: 500 });
  assert.equal(report.totals.accepted, 1200);
  assert.equal(mock.duplicates().length, 0);
});

test("bad proxy configuration is refused at creation", () => {
  assert.throws(() => createProxyHandler({ publicKey: PUBLIC_KEY }), /privateKey/);
  assert.throws(() => createProxyHandler({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, maxTargets: 5000 }), /maxTargets/);
  assert.throws(() => createProxyHandler({ proxyUrl: "/sms" }), /proxyUrl/);
});

test("something that is not a Request is refused with 400, never a throw or a crash", async () => {
  const notRequests = [
    null, undefined, "POST", 42, {}, { method: "POST" }, { method: "POST", headers: {} },
    { method: "POST", headers: new Headers({ "content-type": "application/json", cookie: "session=ok" }), body: "{}" },
  ];
  for (const value of notRequests) {
    const response = await handle(value);
    assert.ok(response instanceof Response, `${JSON.stringify(value)}: not a Response`);
    await refusal(response, 400);
  }
  assert.equal(mock.requests.length, 0);
});

test("toNodeHandler: other Hosts and Origins are refused, malformed requests answered, the proxy served", async (t) => {
  const { createServer, request: httpRequest } = await import("node:http");
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const host = `127.0.0.1:${server.address().port}`;
  server.on("request", sms.toNodeHandler(handle, { allowedHosts: [host] }));
  const send = (headers, body = JSON.stringify(batch(1)), path = "/sms") => new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.address().port, method: "POST", path, headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c)).on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
  const json = { "content-type": "application/json", cookie: "session=ok" };
  const rebinding = await send({ ...json, host: "evil.example:80" });
  assert.equal(rebinding.status, 403);
  assert.equal(rebinding.headers["x-uspeedo-proxy-error"], "1");
  const crossSite = await send({ ...json, host, origin: "https://evil.example" });
  assert.equal(crossSite.status, 403);
  assert.equal(mock.requests.length, 0, "refused requests reached uSpeedo");
  const ok = await send({ ...json, host, origin: `http://${host}` });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(mock.requests.length, 1);
  assert.throws(() => sms.toNodeHandler(handle, {}), /allowedHosts/);
});

// The signing proxy under abuse: oversized bodies, deep nesting, 100,000-
// element arrays, wrong content types and methods, templates outside the
// allow-list, authorize refusing (or throwing), CR/LF injection attempts in
// ids, malformed JSON, many concurrent requests. Each case states the exact
// status the proxy must answer; run.mjs checks that nothing it refuses
// reaches the mock and that the proxy keeps serving afterwards.
//
// Shared by every runtime (no Node built-ins). In Node the handler is called
// with Request objects; in workerd the parent sends each case to the Worker
// with miniflare's dispatchFetch, so it passes workerd's HTTP layer.
import { PROXY_ERROR_HEADER, PROXY_URL, batch, phone, withLimit } from "./fixtures.mjs";
import { scanText } from "./leak-scan.mjs";

export const ABUSE_LIMITS = {
  maxBodyBytes: 1024 * 1024, // the default, stated
  caseLimitMs: 20_000,
  /** An "endless" body stops here even if nobody cancels it. */
  endlessCapBytes: 64 * 1024 * 1024,
};

export const AUTH = { ok: "Bearer reliability-ok" };

/** The proxy as a server would configure it; `authorize` reads the Authorization header. */
export function abuseProxyOptions(spec) {
  return {
    publicKey: spec.publicKey, privateKey: spec.privateKey, baseUrl: spec.baseUrl, timeoutMs: 3000,
    allowTemplates: ["UTA0", "UTA1"], maxTargets: 1000, maxBodyBytes: ABUSE_LIMITS.maxBodyBytes,
    // The abuse controls (issue 15): the server's account only, one sender,
    // no repeated numbers, bounded parameters.
    accountId: 1111, allowSenderIds: ["uspeedo"], rejectDuplicates: true, maxParams: 5, maxParamLength: 200,
    templates: { UTA0: "Your code is {1}", UTA1: "Hello {1}" },
    authorize: (request) => {
      const auth = request.headers.get("authorization");
      if (auth === AUTH.ok) return true;
      if (auth === "Bearer async-ok") return Promise.resolve(true);
      if (auth === "Bearer throw") throw new Error("authorize exploded");
      if (auth === "Bearer reject") return Promise.reject(new Error("authorize rejected"));
      if (auth === "Bearer truthy") return "yes";
      if (auth === "Bearer one") return 1;
      return false;
    },
  };
}

export function abuseProxy(sms, spec) {
  const handler = sms.createProxyHandler(abuseProxyOptions(spec));
  return { handler, artifacts: [handler] };
}

// ---- requests ---------------------------------------------------------------

let serial = 0;
/** A valid, allowed one-number batch with a phone of its own. */
export function validBody(n = serial++) {
  return batch(1, { offset: 5_000_000 + n });
}

const json = (value) => JSON.stringify(value);
const post = (body, { type = "application/json", auth = AUTH.ok, headers = {} } = {}) => ({
  method: "POST", headers: { ...(type ? { "content-type": type } : {}), ...(auth ? { authorization: auth } : {}), ...headers }, body,
});
const text = (t) => ({ kind: "text", text: t });
const task = (fields, targets = [{ Phone: phone(4_000_000), TemplateParams: ["1"] }]) => ({ TaskContent: [{ TemplateId: "UTA0", ...fields, Target: targets }] });
const padded = (bytes) => json({ ...validBody(), Padding: "x".repeat(bytes) });

function repeatJoin(item, count, sep = ",") {
  return Array.from({ length: count }, () => item).join(sep);
}

/**
 * Each case: `build()` -> { method, headers, body } where body is
 * { kind: "text" | "bytes", text } or { kind: "stream", chunkBytes, totalBytes };
 * `expect`: { status, code?, issue? (an issue code the refusal must list), mock (requests that may reach the mock, default 0) };
 * `runtimes`: where it applies (default both).
 */
export const ABUSE_CASES = [
  // -- oversized bodies
  { id: "size-content-length", group: "oversized", label: "2 MiB body, honest Content-Length", expect: { status: 413 },
    build: () => { const t = padded(2 * 1024 * 1024); return post(text(t), { headers: { "content-length": String(t.length) } }); } },
  { id: "size-chunked", group: "oversized", label: "2 MiB body streamed, no Content-Length", expect: { status: 413 },
    build: () => post({ kind: "stream", chunkBytes: 64 * 1024, totalBytes: 2 * 1024 * 1024 }) },
  { id: "size-endless", group: "oversized", label: "endless streamed body", expect: { status: 413, maxPulled: 8 * 1024 * 1024 },
    build: () => post({ kind: "stream", chunkBytes: 64 * 1024, totalBytes: ABUSE_LIMITS.endlessCapBytes }) },
  { id: "size-lying-length", group: "oversized", label: "Content-Length: 100, body 2 MiB", expect: { status: 413 }, runtimes: ["node"],
    build: () => post(text(padded(2 * 1024 * 1024)), { headers: { "content-length": "100" } }) },
  { id: "size-100k-targets", group: "oversized", label: "100,000 valid targets (1.9 MB)", expect: { status: 413 },
    build: () => post(text(json(batch(100_000, { offset: 6_000_000 })))) },
  // -- deep nesting
  { id: "nest-array-100k", group: "nesting", label: "100,000 × '['", expect: { status: 400, code: "VALIDATION" },
    build: () => post(text("[".repeat(100_000))) },
  { id: "nest-object-100k", group: "nesting", label: "100,000 × '{\"a\":'", expect: { status: 400, code: "VALIDATION" },
    build: () => post(text('{"a":'.repeat(100_000))) },
  { id: "nest-array-500k", group: "nesting", label: "500,000 × '[' (under the size limit)", expect: { status: 400, code: "VALIDATION" },
    build: () => post(text("[".repeat(500_000))) },
  { id: "nest-balanced-10k", group: "nesting", label: "balanced 10,000-deep array in TemplateParams", expect: { status: 400, code: "VALIDATION" },
    build: () => post(text(`{"TaskContent":[{"TemplateId":"UTA0","Target":[{"Phone":"${phone(1)}","TemplateParams":${"[".repeat(10_000)}${"]".repeat(10_000)}}]}]}`)) },
  // -- huge arrays
  { id: "array-100k-targets-empty", group: "100k arrays", label: "Target: 100,000 × {}", expect: { status: 400, code: "VALIDATION", issue: "TOO_MANY_TARGETS", maxIssues: 100, maxBytes: 64 * 1024 },
    build: () => post(text(`{"TaskContent":[{"TemplateId":"UTA0","Target":[${repeatJoin("{}", 100_000)}]}]}`)) },
  { id: "array-100k-params", group: "100k arrays", label: "TemplateParams: 100,000 strings", expect: { status: 400, code: "VALIDATION", issue: "TOO_MANY_PARAMS" },
    build: () => post(text(`{"TaskContent":[{"TemplateId":"UTA0","Target":[{"Phone":"${phone(2)}","TemplateParams":[${repeatJoin('"1"', 100_000)}]}]}]}`)) },
  { id: "array-100k-tasks", group: "100k arrays", label: "TaskContent: 100,000 × {}", expect: { status: 400, code: "VALIDATION", maxIssues: 100, maxBytes: 64 * 1024 },
    build: () => post(text(`{"TaskContent":[${repeatJoin("{}", 100_000)}]}`)) },
  { id: "array-100k-top", group: "100k arrays", label: "top level: 100,000 numbers", expect: { status: 400, code: "VALIDATION" },
    build: () => post(text(`[${repeatJoin("0", 100_000)}]`)) },
  // -- content types and methods
  { id: "type-text", group: "content type", label: "text/plain", expect: { status: 415 }, build: () => post(text(json(validBody())), { type: "text/plain" }) },
  { id: "type-form", group: "content type", label: "application/x-www-form-urlencoded", expect: { status: 415 },
    build: () => post(text("TaskContent=1"), { type: "application/x-www-form-urlencoded" }) },
  { id: "type-multipart", group: "content type", label: "multipart/form-data", expect: { status: 415 },
    build: () => post(text("--b\r\n\r\n{}\r\n--b--"), { type: "multipart/form-data; boundary=b" }) },
  { id: "type-missing", group: "content type", label: "no Content-Type", expect: { status: 415 },
    build: () => post({ kind: "bytes", text: json(validBody()) }, { type: null }) },
  { id: "type-jsonp", group: "content type", label: "application/jsonp", expect: { status: 415 },
    build: () => post(text(json(validBody())), { type: "application/jsonp" }) },
  { id: "type-json-in-param", group: "content type", label: "text/html; x=application/json", expect: { status: 415 },
    build: () => post(text(json(validBody())), { type: "text/html; x=application/json" }) },
  { id: "type-uppercase", group: "content type", label: "APPLICATION/JSON; charset=UTF-8 (valid: forwarded)", expect: { status: 200, mock: 1 },
    build: () => post(text(json(validBody())), { type: "APPLICATION/JSON; charset=UTF-8" }) },
  ...["GET", "PUT", "DELETE", "PATCH", "OPTIONS"].map((method) => ({
    id: `method-${method.toLowerCase()}`, group: "method", label: method, expect: { status: 405 },
    build: () => ({ method, headers: { authorization: AUTH.ok }, body: method === "GET" ? null : text(json(validBody())) }),
  })),
  // -- the allow-list
  { id: "account-other", group: "allow-list", label: "AccountId 9999 (the server's is 1111)", expect: { status: 403, code: "VALIDATION", issue: "ACCOUNT_NOT_ALLOWED" },
    build: () => post(text(json({ ...validBody(), AccountId: 9999 }))) },
  { id: "sender-other", group: "allow-list", label: "SenderId not allowed", expect: { status: 403, code: "VALIDATION", issue: "SENDER_NOT_ALLOWED" },
    build: () => post(text(json(task({ SenderId: "Bank" })))) },
  { id: "duplicates", group: "allow-list", label: "one number twice (rejectDuplicates)", expect: { status: 400, code: "VALIDATION", issue: "DUPLICATE_PHONE" },
    build: () => post(text(json({ TaskContent: [{ TemplateId: "UTA0", Target: [{ Phone: phone(7), TemplateParams: ["1"] }, { Phone: phone(7), TemplateParams: ["1"] }] }] }))) },
  { id: "params-many", group: "allow-list", label: "6 parameters (maxParams 5)", expect: { status: 400, code: "VALIDATION", issue: "TOO_MANY_PARAMS" },
    build: () => post(text(json({ TaskContent: [{ TemplateId: "UTA0", Target: [{ Phone: phone(8), TemplateParams: ["1", "2", "3", "4", "5", "6"] }] }] }))) },
  { id: "param-long", group: "allow-list", label: "a 201-character parameter", expect: { status: 400, code: "VALIDATION", issue: "PARAM_TOO_LONG" },
    build: () => post(text(json({ TaskContent: [{ TemplateId: "UTA0", Target: [{ Phone: phone(9), TemplateParams: ["x".repeat(201)] }] }] }))) },
  { id: "template-unknown", group: "allow-list", label: "TemplateId UTA9", expect: { status: 403, code: "VALIDATION", issue: "TEMPLATE_NOT_ALLOWED" },
    build: () => post(text(json(task({ TemplateId: "UTA9" })))) },
  { id: "template-mixed", group: "allow-list", label: "UTA0 + UTA9 in one request", expect: { status: 403, code: "VALIDATION", issue: "TEMPLATE_NOT_ALLOWED" },
    build: () => post(text(json({ TaskContent: [validBody().TaskContent[0], { TemplateId: "UTA9", Target: [{ Phone: phone(3), TemplateParams: ["1"] }] }] }))) },
  { id: "template-case", group: "allow-list", label: "TemplateId uta0 (case)", expect: { status: 403, issue: "TEMPLATE_NOT_ALLOWED" },
    build: () => post(text(json(task({ TemplateId: "uta0" })))) },
  { id: "template-homoglyph", group: "allow-list", label: "TemplateId UТA0 (Cyrillic Т)", expect: { status: 403, issue: "TEMPLATE_NOT_ALLOWED" },
    build: () => post(text(json(task({ TemplateId: "U\u0422A0" })))) },
  { id: "template-space", group: "allow-list", label: "TemplateId 'UTA0 '", expect: { status: 403, issue: "TEMPLATE_NOT_ALLOWED" },
    build: () => post(text(json(task({ TemplateId: "UTA0 " })))) },
  // -- authorize
  { id: "auth-missing", group: "authorize", label: "no Authorization", expect: { status: 403 }, build: () => post(text(json(validBody())), { auth: null }) },
  { id: "auth-wrong", group: "authorize", label: "wrong token", expect: { status: 403 }, build: () => post(text(json(validBody())), { auth: "Bearer nope" }) },
  { id: "auth-throws", group: "authorize", label: "authorize throws", expect: { status: 403 }, build: () => post(text(json(validBody())), { auth: "Bearer throw" }) },
  { id: "auth-rejects", group: "authorize", label: "authorize rejects", expect: { status: 403 }, build: () => post(text(json(validBody())), { auth: "Bearer reject" }) },
  { id: "auth-truthy", group: "authorize", label: "authorize returns \"yes\"", expect: { status: 403 }, build: () => post(text(json(validBody())), { auth: "Bearer truthy" }) },
  { id: "auth-one", group: "authorize", label: "authorize returns 1", expect: { status: 403 }, build: () => post(text(json(validBody())), { auth: "Bearer one" }) },
  { id: "auth-async-ok", group: "authorize", label: "authorize resolves true (forwarded)", expect: { status: 200, mock: 1 },
    build: () => post(text(json(validBody())), { auth: "Bearer async-ok" }) },
  // -- CR/LF and other control characters in ids
  { id: "crlf-sender", group: "injection", label: "SenderId with CR LF + header", expect: { status: 400, issue: "CONTROL_CHARACTER" },
    build: () => post(text(json(task({ SenderId: "uSpeedo\r\nX-Evil: 1" })))) },
  { id: "crlf-template", group: "injection", label: "TemplateId with CR LF (also not allowed)", expect: { status: 403, issue: "CONTROL_CHARACTER" },
    build: () => post(text(json(task({ TemplateId: "UTA0\r\nX-Evil: 1" })))) },
  { id: "crlf-userid", group: "injection", label: "UserId with CR LF Set-Cookie", expect: { status: 400, issue: "CONTROL_CHARACTER" },
    build: () => post(text(json(task({}, [{ Phone: phone(5), TemplateParams: ["1"], UserId: "u1\r\nSet-Cookie: a=b" }])))) },
  { id: "crlf-extendcode", group: "injection", label: "ExtendCode with LF", expect: { status: 400, issue: "CONTROL_CHARACTER" },
    build: () => post(text(json(task({}, [{ Phone: phone(6), TemplateParams: ["1"], ExtendCode: "12\n34" }])))) },
  { id: "cr-sender", group: "injection", label: "SenderId with a lone CR", expect: { status: 400, issue: "CONTROL_CHARACTER" },
    build: () => post(text(json(task({ SenderId: "a\rb" })))) },
  { id: "nul-sender", group: "injection", label: "SenderId with NUL", expect: { status: 400, issue: "CONTROL_CHARACTER" },
    build: () => post(text(json(task({ SenderId: "a\u0000b" })))) },
  { id: "nel-sender", group: "injection", label: "SenderId with NEL (U+0085)", expect: { status: 400, issue: "CONTROL_CHARACTER" },
    build: () => post(text(json(task({ SenderId: "a\u0085b" })))) },
  { id: "crlf-phone", group: "injection", label: "Phone with CR LF", expect: { status: 400, issue: "PHONE_INVALID_CHARACTERS" },
    build: () => post(text(json(task({}, [{ Phone: "+852 5531\r\n1111", TemplateParams: ["1"] }])))) },
  { id: "crlf-account", group: "injection", label: "AccountId with CR LF", expect: { status: 400, issue: "INVALID_ACCOUNT_ID" },
    build: () => post(text(json({ AccountId: "1\r\nX-Evil: 1", ...validBody() }))) },
  // -- malformed or hostile JSON
  { id: "json-invalid", group: "json", label: "not JSON", expect: { status: 400, code: "VALIDATION" }, build: () => post(text("{not json")) },
  { id: "json-empty", group: "json", label: "empty body", expect: { status: 400, code: "VALIDATION" }, build: () => post(text("")) },
  { id: "json-null", group: "json", label: "null", expect: { status: 400, code: "VALIDATION" }, build: () => post(text("null")) },
  { id: "json-duplicate-keys", group: "json", label: "duplicate TaskContent keys", expect: { status: 400, issue: "INVALID_JSON" },
    build: () => post(text(`{"TaskContent":[],"TaskContent":${json(validBody().TaskContent)}}`)) },
  { id: "json-lone-surrogate", group: "json", label: "lone surrogate in SenderId", expect: { status: 400, issue: "INVALID_JSON" },
    build: () => post(text(json(task({ SenderId: "X" })).replace('"X"', '"\\ud800"'))) },
  { id: "json-other-action", group: "json", label: "Action GetUSMSSendReceipt (sign another call)", expect: { status: 400, issue: "WRONG_ACTION" },
    build: () => post(text(json({ Action: "GetUSMSSendReceipt", ...validBody() }))) },
  { id: "json-unknown-field", group: "json", label: "unknown field", expect: { status: 400, issue: "UNKNOWN_FIELD" },
    build: () => post(text(json({ ...validBody(), Padding: "x" }))) },
  { id: "json-proto", group: "json", label: "__proto__ key", expect: { status: 400, issue: "UNKNOWN_FIELD" },
    build: () => post(text(json(validBody()).replace("{", '{"__proto__":{"polluted":true},'))) },
  { id: "json-1001-targets", group: "json", label: "1001 targets", expect: { status: 400, issue: "TOO_MANY_TARGETS" },
    build: () => post(text(json(batch(1001, { offset: 7_000_000 })))) },
  { id: "json-huge-exponent", group: "json", label: "AccountId 1e400", expect: { status: 400, issue: "INVALID_ACCOUNT_ID" },
    build: () => post(text(json(validBody()).replace("{", '{"AccountId":1e400,'))) },
  // -- the control: still serving
  { id: "valid", group: "control", label: "a valid request (forwarded)", expect: { status: 200, mock: 1 }, build: () => post(text(json(validBody()))) },
];

export const CASE_BY_ID = new Map(ABUSE_CASES.map((c) => [c.id, c]));

/** An upload larger than the proxy takes (streamed, or a text over the limit). */
export function isLargeUpload(c) {
  const body = c.build().body;
  return body?.kind === "stream" || (body?.text?.length ?? 0) > ABUSE_LIMITS.maxBodyBytes;
}

/** A fetch `init` from a case; `stats.pulled` counts the bytes a streamed body gave out. */
export function makeInit(built) {
  const { method, headers, body } = built;
  const stats = { pulled: 0 };
  const init = { method, headers };
  if (body == null) return { init, stats };
  if (body.kind === "text") init.body = body.text;
  else if (body.kind === "bytes") init.body = new TextEncoder().encode(body.text);
  else if (body.kind === "stream") {
    const chunk = new TextEncoder().encode(`[${"0,".repeat(body.chunkBytes / 2 - 1)}`.slice(0, body.chunkBytes));
    init.body = new ReadableStream({
      pull(controller) {
        if (stats.pulled >= body.totalBytes) return controller.close();
        stats.pulled += chunk.byteLength;
        controller.enqueue(chunk.slice());
      },
    });
    init.duplex = "half";
  }
  return { init, stats };
}

/**
 * Sends one case: `handlerOrSend(request)` with `makeRequest(url, init)`, or
 * `handlerOrSend(url, init)` without. A JSON-safe summary; with `list` (leak
 * needles) the whole answer, body and headers, is scanned for the key.
 */
export async function runAbuseCase(handlerOrSend, caseId, makeRequest, list) {
  const c = CASE_BY_ID.get(caseId);
  if (!c) throw new Error(`unknown abuse case ${caseId}`);
  const send = makeRequest ? (url, init) => handlerOrSend(makeRequest(url, init)) : handlerOrSend;
  const { init, stats } = makeInit(c.build());
  const started = Date.now();
  const response = await withLimit(Promise.resolve(send(PROXY_URL, init)), ABUSE_LIMITS.caseLimitMs, c.id);
  const body = await withLimit(response.text(), ABUSE_LIMITS.caseLimitMs, `${c.id} body`);
  const out = summarize(c, response, body, Date.now() - started, stats.pulled);
  if (list) {
    const hits = [...scanText(body, list, "body"), ...scanText(JSON.stringify([...response.headers]), list, "headers")];
    out.leak = { hitCount: hits.length, hits: hits.slice(0, 3), visited: 1, bytes: body.length };
  }
  return out;
}

function summarize(c, response, body, ms, pulled) {
  let error = null;
  try {
    error = JSON.parse(body)?.error ?? null;
  } catch {
    // not the proxy's JSON
  }
  return {
    id: c.id, status: response.status, proxyError: response.headers.get(PROXY_ERROR_HEADER) === "1",
    contentType: response.headers.get("content-type"),
    code: error?.code ?? null, delivery: error?.delivery ?? null,
    issueCodes: error?.issues ? [...new Set(error.issues.map((i) => i.code))] : [],
    issues: error?.issues?.length ?? 0, issueCount: error?.issueCount ?? null,
    bytes: body.length, ms, pulled, excerpt: body.slice(0, 160),
  };
}

/** What is wrong with one case's answer (empty: right). */
export function abuseProblems(c, out, mockDelta) {
  const e = c.expect;
  const problems = [];
  if (out.status !== e.status) problems.push(`HTTP ${out.status}, expected ${e.status} (${out.excerpt})`);
  if (e.status >= 400) {
    if (!out.proxyError) problems.push("no X-Uspeedo-Proxy-Error: 1");
    if (out.delivery !== "not_sent") problems.push(`delivery ${out.delivery}`);
    if (e.code && out.code !== e.code) problems.push(`code ${out.code}, expected ${e.code}`);
    if (e.issue && !out.issueCodes.includes(e.issue)) problems.push(`issues [${out.issueCodes}] lack ${e.issue}`);
    if (e.maxIssues && out.issues > e.maxIssues) problems.push(`${out.issues} issues listed (cap ${e.maxIssues})`);
  }
  if (e.maxBytes && out.bytes > e.maxBytes) problems.push(`answer of ${out.bytes} bytes`);
  if (e.maxPulled && out.pulled > e.maxPulled) problems.push(`read ${out.pulled} bytes of an endless body`);
  const allowed = e.mock ?? 0;
  if (mockDelta !== allowed) problems.push(`${mockDelta} request(s) reached the mock, expected ${allowed}`);
  return problems;
}

/**
 * Many requests at once: `count` requests; with `mixed`, 4 in 5 are abusive
 * (oversized, not allowed, CR/LF, unauthorised) and only the valid ones may
 * reach the mock. Returns counts and the first mismatches.
 */
export async function runAbuseConcurrent(handlerOrSend, { count, mixed, base = 0 }, makeRequest) {
  const send = makeRequest ? (url, init) => handlerOrSend(makeRequest(url, init)) : handlerOrSend;
  const kinds = mixed ? ["valid", "size-content-length", "template-unknown", "crlf-sender", "auth-wrong"] : ["valid"];
  const started = Date.now();
  const jobs = Array.from({ length: count }, async (_, i) => {
    const kind = kinds[i % kinds.length];
    const c = CASE_BY_ID.get(kind);
    const built = kind === "valid" ? post(text(json(validBody(base + i)))) : c.build();
    const { init } = makeInit(built);
    const response = await withLimit(Promise.resolve(send(PROXY_URL, init)), ABUSE_LIMITS.caseLimitMs * 3, `concurrent ${i}`);
    const body = await withLimit(response.text(), ABUSE_LIMITS.caseLimitMs, `concurrent ${i} body`);
    return { kind, status: response.status, expected: c.expect.status, ok: response.status === c.expect.status, excerpt: body.slice(0, 120) };
  });
  const results = await Promise.all(jobs);
  const byStatus = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    count, mixed, ms: Date.now() - started, byStatus,
    valid: results.filter((r) => r.kind === "valid").length,
    wrong: results.filter((r) => !r.ok).slice(0, 5),
    wrongCount: results.filter((r) => !r.ok).length,
  };
}

// The fault matrix as data: for each fault, what each surface must report in
// each runtime. run.mjs injects the fault into the mock (or points the client
// at a dead address), runs the surface in the runtime, and compares.
//
// Surfaces (all against the mock uSpeedo API on 127.0.0.1):
//   sendBatch  client.sendBatch(10 numbers, 1 blacklisted)
//   sendBulk   client.sendBulk(3000 numbers over 2 templates = 3 chunks of
//              1000, concurrency 2, 1 blacklisted number per chunk); the
//              fault hits the chunk that holds phone #1200 (chunk 1), or the
//              2nd request for resetBeforeBody (the mock decides that fault
//              before reading the body, so it cannot match a phone)
//   proxy      a proxy-mode Client (the browser's) whose fetch calls
//              createProxyHandler (the server's), which signs and forwards
//   getReceipts client.getReceipts(3 SessionNos): a read, under the read
//              rule (repeated after anything but an API refusal or an abort)
//
// Expected values follow README.md ("Errors", the retry rule, "Browser page,
// through the signing proxy"), not the implementation. Per runtime: Workers
// report a refused connection as "Network connection lost." and a failed DNS
// lookup as "internal error; reference = …", neither of which says nothing
// was sent, so there both are NETWORK/unknown and never retried (README:
// "In Workers and browsers a refused connection cannot be told apart from a
// reset"); Node sees ECONNREFUSED / ENOTFOUND and retries, then NETWORK/not_sent.

export const CONFIG = {
  clientTimeoutMs: 1000,
  maxRetries: 2,
  /** The proxy's own timeout towards uSpeedo... */
  proxyUpstreamTimeoutMs: 1000,
  /** ...and its client's, longer, so the proxy's fires first (as the README's browser setup needs). */
  proxyClientTimeoutMs: 10_000,
  send: { count: 10, offset: 0, blacklisted: [3] },
  bulk: { count: 3000, templates: 2, offset: 100_000, chunkSize: 1000, concurrency: 2, blacklisted: [7, 1007, 2007], faultAt: 1200 },
  read: { sessions: 3 },
  dripIntervalMs: 250,
  /** A whole case, retries and waits included. */
  caseLimitMs: 30_000,
  dnsUrl: "https://uspeedo-test.invalid/api",
};

export const SURFACES = ["sendBatch", "sendBulk", "proxy", "getReceipts"];
export const RUNTIMES = ["node", "workerd"];

/**
 * Package bugs the matrix exposes; a case marked `known: "BUG-n"` is a known
 * failure. None is open: BUG-1 (the proxy dropped Retry-After) and BUG-2 (the
 * proxy relayed an earlier attempt's 429 after a later attempt failed) are
 * fixed, and their cases pass as any other.
 */
export const BUGS = {};

const SEND_OK_ACCEPTED = 9; // 10 numbers, 1 blacklisted
const BULK_CHUNK = 1000;

// ---- bulk shapes (3 chunks of 1000, 1 blacklisted number in each) ----------
const TOTALS = {
  ok: { accepted: 2997, failed: 3, unknown: 0, notAttempted: 0 },
  oneUnknown: { accepted: 1998, failed: 2, unknown: 1000, notAttempted: 0 },
  oneFailed: { accepted: 1998, failed: 1002, unknown: 0, notAttempted: 0 },
  oneNotAttempted: { accepted: 1998, failed: 2, unknown: 0, notAttempted: 1000 },
  allNotAttempted: { accepted: 0, failed: 0, unknown: 0, notAttempted: 3000 },
  allUnknown: { accepted: 0, failed: 0, unknown: 3000, notAttempted: 0 },
};

/** Chunks as a sorted multiset of `status` or `status:errorCode`. */
const chunks = (...list) => list.sort();

// ---- shorthands ------------------------------------------------------------

/** Everything went through (after `attempts` attempts, the extra ones being allowed retries). */
function allOk({ attempts = 1, minMs = 0 } = {}) {
  return {
    sendBatch: { ok: true, attempts, minMs, mock: { requests: attempts, accepted: SEND_OK_ACCEPTED } },
    sendBulk: {
      totals: TOTALS.ok, chunks: chunks("partial", "partial", "partial"), stoppedBy: null,
      mock: { requests: 3 + (attempts - 1), accepted: 2997 },
    },
    proxy: {
      status: 200, proxyError: false, ok: true, clientAttempts: 1, upstreamAttempts: attempts, minMs,
      mock: { requests: attempts, accepted: SEND_OK_ACCEPTED },
    },
  };
}

/**
 * One attempt ended in an error that must not be retried. `processed`: the
 * mock processed the batch (its numbers are accepted there) though the client
 * could not know. `proxy`: how the proxy answers, `pass` (uSpeedo's answer
 * passed through unchanged) or `refuse` (its own refusal, with its header).
 */
function oneError({ code, delivery, processed, status, proxyStatus, proxy = "pass", minMs = 0, extra = {} }) {
  const bucket = delivery === "unknown" ? "unknown" : code === "API" ? "failed" : "not_attempted";
  const totals = { unknown: TOTALS.oneUnknown, failed: TOTALS.oneFailed, not_attempted: TOTALS.oneNotAttempted }[bucket];
  return {
    sendBatch: { code, delivery, attempts: 1, status, minMs, ...extra, mock: { requests: 1, accepted: processed ? SEND_OK_ACCEPTED : 0 } },
    sendBulk: {
      totals, chunks: chunks(`${bucket}:${code}`, "partial", "partial"), stoppedBy: null,
      faultedAttempts: 1, mock: { requests: 3, accepted: 1998 + (processed ? BULK_CHUNK - 1 : 0) },
    },
    proxy: {
      status: proxyStatus ?? status ?? 200, proxyError: proxy === "refuse", code, delivery, clientAttempts: 1, upstreamAttempts: 1,
      minMs, ...extra, mock: { requests: 1, accepted: processed ? SEND_OK_ACCEPTED : 0 },
    },
  };
}

/**
 * A 429 (Retry-After: 0), retried as allowed, then a failure with no answer:
 * the error of the second attempt must be what is reported. The proxy must
 * answer that failure (its own 502/504), never the earlier 429.
 */
function retriedThen({ code, delivery, processed, proxyStatus, known }) {
  return {
    sendBatch: { code, delivery, attempts: 2, mock: { requests: 2, accepted: processed ? SEND_OK_ACCEPTED : 0 } },
    sendBulk: {
      totals: TOTALS.oneUnknown, chunks: chunks(`unknown:${code}`, "partial", "partial"), stoppedBy: null,
      faultedAttempts: 2, mock: { requests: 4, accepted: 1998 + (processed ? BULK_CHUNK - 1 : 0) },
    },
    proxy: {
      status: proxyStatus, proxyError: true, code, delivery, clientAttempts: 1, upstreamAttempts: 2,
      mock: { requests: 2, accepted: processed ? SEND_OK_ACCEPTED : 0 }, known,
    },
  };
}

/** Never reached the server. Node: retried (connection never established), then NETWORK/not_sent; the job stops. */
function unreachableNode() {
  const attempts = CONFIG.maxRetries + 1;
  return {
    sendBatch: { code: "NETWORK", delivery: "not_sent", attempts, mock: { requests: 0, accepted: 0 } },
    sendBulk: {
      totals: TOTALS.allNotAttempted, stoppedBy: "NETWORK",
      // concurrency 2: chunks 0 and 1 fail (after their retries), chunk 2 is never started
      chunks: chunks("not_attempted:NETWORK", "not_attempted:NETWORK", "not_attempted:STOPPED"),
      faultedAttempts: attempts, mock: { requests: 0, accepted: 0 },
    },
    proxy: {
      status: 502, proxyError: true, code: "NETWORK", delivery: "not_sent", clientAttempts: 1, upstreamAttempts: attempts,
      mock: { requests: 0, accepted: 0 },
    },
  };
}

/** Workers: the same dead address is indistinguishable from a reset: NETWORK/unknown, never retried. */
function unreachableWorkerd() {
  return {
    sendBatch: { code: "NETWORK", delivery: "unknown", attempts: 1, mock: { requests: 0, accepted: 0 } },
    sendBulk: {
      totals: TOTALS.allUnknown, stoppedBy: null,
      chunks: chunks("unknown:NETWORK", "unknown:NETWORK", "unknown:NETWORK"),
      faultedAttempts: 1, mock: { requests: 0, accepted: 0 },
    },
    proxy: {
      status: 502, proxyError: true, code: "NETWORK", delivery: "unknown", clientAttempts: 1, upstreamAttempts: 1,
      mock: { requests: 0, accepted: 0 },
    },
  };
}

/** HTTP 429 every time: retried up to maxRetries, then HTTP/not_sent (nothing processed). */
function persistent429({ retryAfter }) {
  const attempts = CONFIG.maxRetries + 1;
  const waits = retryAfter === undefined ? 250 + 500 : 2 * retryAfter * 1000; // backoff minimum, or Retry-After
  const retryAfterMs = retryAfter === undefined ? undefined : retryAfter * 1000;
  return {
    sendBatch: { code: "HTTP", delivery: "not_sent", status: 429, attempts, retryAfterMs, minMs: waits, mock: { requests: attempts, accepted: 0 } },
    sendBulk: {
      totals: TOTALS.oneNotAttempted, stoppedBy: null,
      chunks: chunks("not_attempted:HTTP", "partial", "partial"), faultedAttempts: attempts,
      mock: { requests: 3 + CONFIG.maxRetries, accepted: 1998 },
    },
    // The proxy retries upstream, then passes the 429 through; the proxy-mode
    // client then applies the same rule: 3 client attempts x 3 upstream.
    proxy: {
      status: 429, proxyError: false, code: "HTTP", delivery: "not_sent", retryAfterMs,
      clientAttempts: attempts, upstreamAttempts: attempts * attempts, minMs: waits,
      mock: { requests: attempts * attempts, accepted: 0 },
    },
  };
}

// ---- reads -------------------------------------------------------------------
// README's read rule: a read texts nobody, so it is repeated after a timeout, a
// reset, a refused connection, a 429, a 5xx or an unreadable answer (each
// fault below claims one request, so the next attempt succeeds); only an API
// refusal (RetCode) and a Retry-After beyond the cap end it at once. Its
// delivery is always not_sent, in Workers too.

function readOk(attempts, minMs = 0) {
  return { ok: true, attempts, minMs, mock: { requests: attempts, accepted: 0 } };
}

function readError({ code, attempts, requests = attempts, status, retryAfterMs, retCode, minMs = 0 }) {
  const extra = { ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(retCode === undefined ? {} : { retCode }) };
  return { code, delivery: "not_sent", attempts, status, minMs, ...extra, mock: { requests, accepted: 0 } };
}

const ALL_ATTEMPTS = CONFIG.maxRetries + 1;
const READ = {
  baseline: readOk(1),
  refused: readError({ code: "NETWORK", attempts: ALL_ATTEMPTS, requests: 0 }),
  dns: readError({ code: "NETWORK", attempts: ALL_ATTEMPTS, requests: 0 }),
  resetBeforeBody: readOk(2),
  resetAfterBody: readOk(2),
  hang: readOk(2, CONFIG.clientTimeoutMs - 50),
  slowDrip: readOk(2, CONFIG.clientTimeoutMs - 50),
  "429-retryAfter-once": readOk(2, 1000),
  "429-retryAfter-always": readError({ code: "HTTP", status: 429, attempts: ALL_ATTEMPTS, retryAfterMs: 1000, minMs: 2000 }),
  "429-once": readOk(2, 250),
  "429-always": readError({ code: "HTTP", status: 429, attempts: ALL_ATTEMPTS, minMs: 750 }),
  "429-retryAfter-120": readError({ code: "HTTP", status: 429, attempts: 1, retryAfterMs: 120_000 }),
  "429-then-resetAfterBody": readOk(3),
  "429-then-hang": readOk(3, CONFIG.clientTimeoutMs - 50),
  500: readOk(2),
  502: readOk(2),
  truncatedJson: readOk(2),
  emptyBody: readOk(2),
  retCodeString: readOk(1),
  hugeBody: readOk(2),
  // The fault adds send fields of the wrong type; a receipts answer ignores them.
  wrongTypes: readOk(1),
  duplicateKeys: readOk(2),
  retCode: readError({ code: "API", attempts: 1, retCode: 215407 }),
};

// ---- the matrix ------------------------------------------------------------
// inject.target: "mock", "refused" (a closed 127.0.0.1 port) or "dns"
// (CONFIG.dnsUrl). inject.rules: the mock's fault rules, in order (a rule
// with `times` 1 claims one request, then the next rule applies).

export const MATRIX = [
  {
    id: "baseline", fault: "no fault (control)",
    inject: { target: "mock", rules: [] },
    expect: allOk(),
  },
  {
    id: "refused", fault: "connection refused",
    inject: { target: "refused", rules: [] },
    expect: unreachableNode(),
    workerd: unreachableWorkerd(),
  },
  {
    id: "dns", fault: "DNS failure (.invalid)",
    inject: { target: "dns", rules: [] },
    expect: unreachableNode(),
    workerd: unreachableWorkerd(),
  },
  {
    id: "resetBeforeBody", fault: "reset before the body is read",
    inject: { target: "mock", rules: [{ kind: "resetBeforeBody" }] },
    // The request was written before the reset: the client cannot know it was not read.
    expect: oneError({ code: "NETWORK", delivery: "unknown", processed: false, proxyStatus: 502, proxy: "refuse" }),
  },
  {
    id: "resetAfterBody", fault: "reset after the body is read",
    inject: { target: "mock", rules: [{ kind: "resetAfterBody" }] },
    expect: oneError({ code: "NETWORK", delivery: "unknown", processed: true, proxyStatus: 502, proxy: "refuse" }),
  },
  {
    id: "hang", fault: "never answering (timeout)",
    inject: { target: "mock", rules: [{ kind: "hang" }] },
    expect: oneError({
      code: "TIMEOUT", delivery: "unknown", processed: false, proxyStatus: 504, proxy: "refuse", minMs: CONFIG.clientTimeoutMs - 50,
    }),
  },
  {
    id: "slowDrip", fault: "slow drip (past the timeout)",
    inject: { target: "mock", rules: [{ kind: "slowDrip", intervalMs: CONFIG.dripIntervalMs }] },
    expect: oneError({
      code: "TIMEOUT", delivery: "unknown", processed: true, proxyStatus: 504, proxy: "refuse", minMs: CONFIG.clientTimeoutMs - 50,
    }),
  },
  {
    id: "429-retryAfter-once", fault: "429 with Retry-After: 1, once",
    inject: { target: "mock", rules: [{ kind: "status429", retryAfter: 1 }] },
    expect: allOk({ attempts: 2, minMs: 1000 }),
  },
  {
    id: "429-retryAfter-always", fault: "429 with Retry-After: 1, always",
    inject: { target: "mock", rules: [{ kind: "status429", retryAfter: 1, times: Infinity }] },
    expect: persistent429({ retryAfter: 1 }),
  },
  {
    id: "429-once", fault: "429 without Retry-After, once",
    inject: { target: "mock", rules: [{ kind: "status429" }] },
    expect: allOk({ attempts: 2, minMs: 250 }),
  },
  {
    id: "429-always", fault: "429 without Retry-After, always",
    inject: { target: "mock", rules: [{ kind: "status429", times: Infinity }] },
    expect: persistent429({ retryAfter: undefined }),
  },
  {
    id: "429-retryAfter-120", fault: "429 with Retry-After: 120 (over the cap)",
    inject: { target: "mock", rules: [{ kind: "status429", retryAfter: 120 }] },
    // Retry-After above 60 s is not waited out: the caller gets the error at once.
    // The proxy passes uSpeedo's 429 through, not retried, as in direct mode.
    expect: oneError({ code: "HTTP", delivery: "not_sent", status: 429, processed: false, extra: { retryAfterMs: 120_000 } }),
  },
  {
    id: "429-then-resetAfterBody", fault: "429, then reset after the body",
    inject: { target: "mock", rules: [{ kind: "status429", retryAfter: 0 }, { kind: "resetAfterBody" }] },
    expect: retriedThen({ code: "NETWORK", delivery: "unknown", processed: true, proxyStatus: 502 }),
  },
  {
    id: "429-then-hang", fault: "429, then no answer (timeout)",
    inject: { target: "mock", rules: [{ kind: "status429", retryAfter: 0 }, { kind: "hang" }] },
    expect: retriedThen({ code: "TIMEOUT", delivery: "unknown", processed: false, proxyStatus: 504 }),
  },
  {
    id: "500", fault: "HTTP 500 (batch processed)",
    inject: { target: "mock", rules: [{ kind: "status500", processed: true }] },
    expect: oneError({ code: "HTTP", delivery: "unknown", status: 500, processed: true }),
  },
  {
    id: "502", fault: "HTTP 502 HTML page",
    inject: { target: "mock", rules: [{ kind: "html502" }] },
    // The proxy answers JSON only: the HTML page is passed on described in
    // JSON (status kept), never as HTML from the application's origin.
    expect: oneError({ code: "HTTP", delivery: "unknown", status: 502, processed: false, extra: { bodyExcerpt: "502 Bad Gateway" } }),
  },
  {
    id: "truncatedJson", fault: "truncated JSON",
    inject: { target: "mock", rules: [{ kind: "truncatedJson" }] },
    expect: oneError({ code: "BAD_RESPONSE", delivery: "unknown", processed: true }),
  },
  {
    id: "emptyBody", fault: "empty body",
    inject: { target: "mock", rules: [{ kind: "emptyBody" }] },
    expect: oneError({ code: "BAD_RESPONSE", delivery: "unknown", processed: true }),
  },
  {
    id: "retCodeString", fault: "RetCode as a string",
    inject: { target: "mock", rules: [{ kind: "retCodeString" }] },
    expect: allOk(), // README: numbers may arrive as numeric strings; tolerated
  },
  {
    id: "hugeBody", fault: "huge body (> 10 MB)",
    inject: { target: "mock", rules: [{ kind: "hugeBody" }] },
    // Not read past 8 MB, so the proxy cannot pass it through: its own 502.
    expect: oneError({ code: "BAD_RESPONSE", delivery: "unknown", processed: true, proxyStatus: 502, proxy: "refuse" }),
  },
  {
    id: "wrongTypes", fault: "wrong field types",
    inject: { target: "mock", rules: [{ kind: "wrongTypes" }] },
    expect: oneError({ code: "BAD_RESPONSE", delivery: "unknown", processed: true }),
  },
  {
    id: "duplicateKeys", fault: "duplicated keys",
    inject: { target: "mock", rules: [{ kind: "duplicateKeys" }] },
    expect: oneError({ code: "BAD_RESPONSE", delivery: "unknown", processed: true }),
  },
  {
    id: "retCode", fault: "RetCode 215407 (API refusal)",
    inject: { target: "mock", rules: [{ kind: "retCode", retCode: 215407, message: "Missing or invalid parameter" }] },
    expect: oneError({ code: "API", delivery: "not_sent", processed: false, extra: { retCode: 215407 } }),
  },
];

/** The expectation for one cell. */
export function expected(row, surface, runtime) {
  if (surface === "getReceipts") return READ[row.id];
  return (runtime === "workerd" && row.workerd?.[surface]) || row.expect[surface];
}

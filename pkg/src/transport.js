// One API call on the wire: fetch with a timeout and the caller's signal,
// retried only when the Rust core says the attempt provably was not
// processed. This file does I/O and timers; it decides nothing about SMS.

import { UspeedoError } from "./errors.js";
import { call } from "./wasm.js";

/** Beyond this a response is not read (a real one is far smaller). */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Node's codes for "the connection was never established". */
const NEVER_CONNECTED = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "ENETUNREACH", "EHOSTUNREACH",
  "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT",
]);

const REDACTED = "[redacted]";

/** Set by the signing proxy on refusals it answers itself. */
export const PROXY_ERROR_HEADER = "X-Uspeedo-Proxy-Error";

function redactHeaders(headers) {
  const out = { ...headers };
  for (const name of Object.keys(out)) {
    const lower = name.toLowerCase();
    if (lower === "x-signature" || lower === "x-access-key-id") out[name] = REDACTED;
  }
  return out;
}

function nonce() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function safely(hook, payload) {
  if (!hook) return;
  try {
    hook(payload);
  } catch {
    // A failing hook must not turn a sent batch into an error.
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Reads a body (of a Response or a Request) up to `limit` bytes. */
export async function readCapped(message, limit = MAX_RESPONSE_BYTES) {
  if (!message.body) return { text: await message.text(), tooLarge: false };
  const reader = message.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { text: "", tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), tooLarge: false };
}

/**
 * The signing proxy's own refusal carries an error the Rust core already
 * wrote on the server; it is passed on as is (the proxy applied the retry
 * rule upstream, so it is never retried here).
 */
function proxyRefusal(response, text) {
  if (!response.headers.has(PROXY_ERROR_HEADER)) return null;
  try {
    const { error } = JSON.parse(text);
    if (error && typeof error.code === "string") return { kind: "error", error, retryable: false };
  } catch {
    // Not the proxy's JSON: let the core judge the reply as any other.
  }
  return null;
}

function failureKind(error, state) {
  if (state.userAborted) return "aborted";
  if (state.timedOut) return "timed_out";
  const code = error?.cause?.code ?? error?.code;
  if (NEVER_CONNECTED.has(code)) return "connect_failed";
  // Node's fetch refuses some ports before connecting ("bad port").
  if (error?.cause?.message === "bad port") return "connect_failed";
  return "broken";
}

/** One attempt: resolves to the core's outcome (`{ kind: "result" | "error" }`). */
async function attempt(request, ctx, number) {
  const { fetch, signal, timeoutMs, hooks } = ctx;
  const controller = new AbortController();
  const state = { timedOut: false, userAborted: false };
  const timer = setTimeout(() => {
    state.timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => {
    state.userAborted = true;
    controller.abort();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const started = Date.now();
  const base = { method: request.method, url: request.url, attempt: number };
  safely(hooks.onRequest, { ...base, headers: redactHeaders(request.headers) });
  // Each attempt starts without an answer: a caller that relays answers (the
  // proxy) must never relay an earlier attempt's reply for a later failure.
  ctx.onReply?.(null);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const requestId = response.headers.get("x-speedo-request-uuid");
    const { text, tooLarge } = await readCapped(response);
    const durationMs = Date.now() - started;
    if (!tooLarge) {
      ctx.onReply?.({
        status: response.status, text, requestId,
        retryAfter: response.headers.get("retry-after"),
        contentType: response.headers.get("content-type"),
      });
    }
    const outcome = tooLarge
      ? call("transportFailure", "too_large", `more than ${MAX_RESPONSE_BYTES} bytes`, timeoutMs)
      : proxyRefusal(response, text) ??
        call("interpretReply", response.status, text, requestId, response.headers.get("retry-after"),
          Date.now(), ctx.accountId);
    if (outcome.kind === "error" && requestId && !outcome.error.requestId) outcome.error.requestId = requestId;
    const resultId = outcome.kind === "result" ? outcome.result.requestId : outcome.error.requestId;
    safely(hooks.onResponse, {
      ...base, status: response.status, durationMs, requestId: resultId ?? null,
      ...(outcome.kind === "error" ? { error: outcome.error.code } : {}),
    });
    return outcome;
  } catch (error) {
    if (error instanceof UspeedoError) {
      // The core itself failed after the request went out.
      error.delivery = "unknown";
      throw error;
    }
    const kind = failureKind(error, state);
    const outcome = call("transportFailure", kind, String(error?.cause?.code ?? error?.message ?? error), timeoutMs);
    outcome.cause = error;
    safely(hooks.onResponse, { ...base, status: null, durationMs: Date.now() - started, requestId: null, error: outcome.error.code });
    return outcome;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Sends a prepared request, retrying only what the core marks retryable.
 * `refresh(request)` gives each retry a fresh timestamp and nonce.
 */
export async function send(prepared, ctx) {
  // Caller headers first: they can never replace the signature headers.
  const headers = { ...ctx.extraHeaders, ...prepared.headers };
  if (ctx.userAgent) headers["User-Agent"] = ctx.userAgent;
  let request = { ...prepared, headers };
  for (let retries = 0; ; retries++) {
    if (ctx.signal?.aborted) {
      const outcome = call("transportFailure", "aborted_before_send", "", ctx.timeoutMs);
      throw new UspeedoError({ ...outcome.error, attempts: retries }, { cause: ctx.signal.reason });
    }
    const outcome = await attempt(request, ctx, retries + 1);
    if (outcome.kind === "result") return outcome.result;
    const { error, retryable } = outcome;
    if (retryable) {
      const delay = call("retryDelay", retries, ctx.maxRetries, error.retryAfterMs ?? -1, Math.random());
      if (delay >= 0) {
        try {
          await sleep(delay, ctx.signal);
        } catch {
          continue; // aborted while waiting: the check at the top reports it
        }
        request = ctx.refresh(request);
        continue;
      }
    }
    throw new UspeedoError({ ...error, attempts: retries + 1 }, outcome.cause ? { cause: outcome.cause } : undefined);
  }
}

/** Fresh `X-Timestamp` and `X-Nonce` for a signed request (they are not signed). */
export function withFreshStamp(request) {
  if (!("X-Timestamp" in request.headers)) return request;
  return {
    ...request,
    headers: { ...request.headers, "X-Timestamp": String(Math.floor(Date.now() / 1000)), "X-Nonce": nonce() },
  };
}

export { nonce, sleep };

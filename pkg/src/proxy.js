// The signing proxy: a Fetch-API handler `(Request) => Promise<Response>`
// that keeps the private key on the server. It never trusts the browser:
// the Rust core parses and validates the body again (maxTargets, the
// allow-list) before signing; uSpeedo's answer is passed through unchanged.

import { Client, clientInternals, configError } from "./client.js";
import { UspeedoError } from "./errors.js";
import { PROXY_ERROR_HEADER, nonce, readCapped, send } from "./transport.js";
import { ProxyCore } from "../generated/uspeedo_sms.js";
import { guard, lasting } from "./wasm.js";

const JSON_TYPE = "application/json; charset=utf-8";

function answer(reply) {
  return new Response(reply.body, {
    status: reply.status,
    headers: { "Content-Type": JSON_TYPE, [PROXY_ERROR_HEADER]: "1" },
  });
}

const refuse = (kind, detail = "") => answer(guard(() => ProxyCore.refuse(kind, detail)));

async function allowed(authorize, request) {
  if (!authorize) return true;
  try {
    return (await authorize(request)) === true;
  } catch {
    return false;
  }
}

/**
 * `createProxyHandler({ publicKey, privateKey, baseUrl?, accountId?,
 * allowTemplates?, maxTargets?, maxBodyBytes?, authorize?, ...clientOptions })`.
 * `authorize(request)` must resolve to `true` for the request to go on.
 */
export function createProxyHandler(options = {}) {
  if (options === null || typeof options !== "object") throw configError("options must be an object");
  const { authorize, allowTemplates, maxTargets, maxBodyBytes, ...clientOptions } = options;
  if (authorize !== undefined && typeof authorize !== "function") throw configError("authorize must be a function");
  if (clientOptions.proxyUrl !== undefined) throw configError("the proxy signs itself: pass publicKey/privateKey, not proxyUrl");
  // The browser's client drives retries (it sees 429 and Retry-After passed
  // through); retrying here as well would multiply the upstream requests.
  const signing = { maxRetries: 0, ...clientOptions };
  const client = clientInternals(new Client(signing));
  const proxyOptions = { allowTemplates, maxTargets, maxBodyBytes };
  // Checked once (a bad option throws now); made again only after a panic.
  const data = Object.fromEntries(Object.entries(signing).filter(([, v]) => typeof v !== "function"));
  const core = lasting(() => new ProxyCore(data, proxyOptions));
  const limit = guard(() => core().maxBodyBytes());

  return async function handleSmsProxy(request) {
    if (request.method !== "POST") return refuse("method");
    if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) return refuse("content_type");
    if (Number(request.headers.get("content-length") ?? 0) > limit) return refuse("too_large", String(limit));
    if (!(await allowed(authorize, request))) return refuse("forbidden");
    let body;
    try {
      const read = await readCapped(request, limit);
      if (read.tooLarge) return refuse("too_large", String(limit));
      body = read.text;
    } catch {
      return refuse("unreadable");
    }
    const reply = guard(() => core().decide(body, Math.floor(Date.now() / 1000), nonce()));
    if (reply.refusal) return answer(reply.refusal);
    let last = null;
    try {
      await send(reply.prepared, { ...client.sendContext(undefined, reply.accountId), onReply: (r) => (last = r) });
    } catch (error) {
      if (!(error instanceof UspeedoError)) throw error;
      // The final attempt got no HTTP answer (timeout, reset, refused): say
      // so with the proxy's own error, never an earlier attempt's reply.
      if (!last) return answer(guard(() => ProxyCore.upstreamError(error.toJSON())));
    }
    // uSpeedo's final answer, passed through as it came.
    const headers = { "Content-Type": last.contentType ?? JSON_TYPE };
    if (last.requestId) headers["X-Speedo-Request-Uuid"] = last.requestId;
    if (last.retryAfter) headers["Retry-After"] = last.retryAfter;
    return new Response(last.text, { status: last.status, headers });
  };
}

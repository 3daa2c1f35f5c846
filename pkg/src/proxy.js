// The signing proxy: a Fetch-API handler `(Request) => Promise<Response>`
// that keeps the private key on the server. Every step (the checks, the
// body read with its limit, validation, signing, forwarding, the answer)
// is in the Rust core (`ProxyCore`).

import { ProxyCore } from "../generated/uspeedo_sms.js";
import { guard, lasting, savedOptions } from "./wasm.js";

/**
 * `createProxyHandler({ publicKey, privateKey, baseUrl?, accountId?,
 * allowActions?, allowTemplates?, maxTargets?, maxBodyBytes?, authorize?,
 * ...clientOptions })`. `authorize(request, action)` must resolve to `true`
 * for the request to go on; `action` is uSpeedo's name of what is asked.
 */
export function createProxyHandler(options = {}) {
  const saved = savedOptions(options);
  // Checked once (a bad option throws now); made again only after a panic.
  const core = lasting(() => guard(() => new ProxyCore(saved)));
  core();
  return async function handleSmsProxy(request) {
    return guard(() => core().handle(request));
  };
}

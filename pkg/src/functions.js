// The stand-alone functions: validation, signing and preview. Each hands
// its input to the Rust core as it is, which decides everything.

import { call } from "./wasm.js";

/** Checks a batch without sending it. Never throws for bad input. */
export function validateBatch(request, options = {}) {
  return call("validateBatch", request, options);
}

/** The X-Signature of any payload (hex SHA-1 per uSpeedo's algorithm). */
export function signPayload(payload, privateKey) {
  return call("signPayload", payload, privateKey);
}

/** Renders a template with its parameters and counts characters and SMS parts. */
export function previewMessage(templateText, params = []) {
  return call("previewMessage", templateText, params);
}

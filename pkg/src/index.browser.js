// The public API in browsers: the same names as everywhere, but no signing
// proxy (it needs the private key, which has no place in a page).
export { Client } from "./client.js";
export { UspeedoError } from "./errors.js";
export { previewMessage, signPayload, validateBatch } from "./functions.js";
export { releaseMemory, wasmMemoryBytes } from "./wasm.js";
export { toNodeHandler } from "./node-handler.unavailable.js";
import { configError } from "./errors.js";

/** Not available in browsers: run the proxy on a server (Node, Workers). */
export function createProxyHandler() {
  throw configError("createProxyHandler runs on a server (Node, Workers), where the private key can stay secret");
}

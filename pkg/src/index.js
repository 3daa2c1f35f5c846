// The public API, the same in every runtime.
export { Client } from "./client.js";
export { UspeedoError } from "./errors.js";
export { previewMessage, signPayload, validateBatch } from "./functions.js";
export { createProxyHandler } from "./proxy.js";
export { releaseMemory, wasmMemoryBytes } from "./wasm.js";

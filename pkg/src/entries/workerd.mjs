// Cloudflare Workers refuse to compile WebAssembly from bytes at run time:
// the module is imported (wrangler and miniflare compile it at upload) and
// instantiated synchronously on first use.
import wasmModule from "./uspeedo_sms_bg.wasm";
import { setWasmSource } from "../wasm.js";

setWasmSource(() => wasmModule);

export * from "../index.js";
export { toNodeHandler } from "../node-handler.unavailable.js";

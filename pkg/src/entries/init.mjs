// Browsers, for bundlers that do not follow `new URL(..., import.meta.url)`
// when the inline entry's base64 is too dear (+33 KB gzip, the size report):
// nothing is loaded until `await init({ wasm })` says where the browser
// build's .wasm is: its URL, its bytes, a fetch Response (or its promise) or
// a compiled WebAssembly.Module. The app serves the file itself
// (uspeedo-sms/browser.wasm; esbuild's `file` loader emits it).
import { compileResponse } from "../compile.js";
import { configError } from "../errors.js";
import { setWasmSource } from "../wasm.js";

setWasmSource(() => {
  throw configError("uspeedo-sms/init: `await init({ wasm })` before anything else");
});

let ready = null;

/** Loads the .wasm once: later calls get the first call's promise (after a failure, a new try). */
export function init(options) {
  ready ??= compile(options?.wasm).then(
    (wasmModule) => setWasmSource(() => wasmModule),
    (error) => {
      ready = null;
      throw error;
    },
  );
  return ready;
}

async function compile(wasm) {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (typeof wasm === "string" || wasm instanceof URL) return compileResponse(await fetch(wasm), wasm);
  if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) return WebAssembly.compile(wasm);
  if (typeof Response === "function" && wasm instanceof Response) return compileResponse(wasm, wasm.url);
  if (typeof wasm?.then === "function") return compile(await wasm);
  throw configError("init({ wasm }) takes the .wasm's URL, its bytes, a fetch Response (or its promise) or a WebAssembly.Module");
}

export * from "../index.browser.js";

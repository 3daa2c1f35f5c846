// Browsers, for bundlers that do not follow `new URL(..., import.meta.url)`
// (esbuild, Rollup without a plugin): the browser build's .wasm is inlined
// into this file as base64 by the build (esbuild's binary loader), so there
// is no file to copy or serve. It costs more bytes than the default entry
// (the size report shows both), paid only by those who import
// `uspeedo-sms/inline`. Compiled asynchronously before the import resolves:
// Chromium refuses to compile a module this large synchronously on the main
// thread.
import bytes from "./uspeedo_sms_browser_bg.wasm";
import { setWasmSource } from "../wasm.js";

const wasmModule = await WebAssembly.compile(bytes);
setWasmSource(() => wasmModule);

export * from "../index.browser.js";

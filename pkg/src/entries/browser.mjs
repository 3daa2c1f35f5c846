// Browsers: the browser build of the .wasm (no signing code: the private key
// stays on a server behind createProxyHandler) is fetched beside this module and compiled while
// the page goes on loading; the top-level await makes the package usable as
// soon as the import resolves. Bundlers (Vite, webpack) see the
// `new URL(..., import.meta.url)` and emit the file.
import { compileResponse } from "../compile.js";
import { setWasmSource } from "../wasm.js";

const url = new URL("./uspeedo_sms_browser_bg.wasm", import.meta.url);
const wasmModule = await compileResponse(await fetch(url), url);
setWasmSource(() => wasmModule);

export * from "../index.browser.js";

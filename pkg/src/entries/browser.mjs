// Browsers: the browser build of the .wasm (no signing code: the private key
// stays on a server behind createProxyHandler) is fetched beside this module and compiled while
// the page goes on loading; the top-level await makes the package usable as
// soon as the import resolves. Bundlers (Vite, webpack) see the
// `new URL(..., import.meta.url)` and emit the file.
import { setWasmSource } from "../wasm.js";

const url = new URL("./uspeedo_sms_browser_bg.wasm", import.meta.url);

async function compile() {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`uspeedo-sms: could not load ${url} (HTTP ${response.status})`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    // Served without the application/wasm type: compile the bytes instead.
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

const wasmModule = await compile();
setWasmSource(() => wasmModule);

export * from "../index.browser.js";

// Compiling the browser build's .wasm from a fetch answer: the default
// browser entry's own fetch, and init({ wasm }) of uspeedo-sms/init.

/** `response`: what fetching `url` answered. */
export async function compileResponse(response, url) {
  if (!response.ok) throw new Error(`uspeedo-sms: could not load ${url} (HTTP ${response.status})`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    // Served without the application/wasm type: compile the bytes instead.
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

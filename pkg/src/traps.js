// A trap (a Rust panic: the wasm aborts) inside a callback the runtime
// invoked, reported by the wasm-bindgen glue as patched by
// pkg/build/guard-glue.mjs. The glue must not import wasm.js (wasm.js
// imports the glue), so the state lives here and wasm.js says what to do.

let trap = null;
let handler = null;

/** The glue: a callback trapped. The instance is re-created right after. */
export function callbackTrapped(error) {
  if (trap !== null) return;
  trap = error;
  // Not now: the glue is still inside the trapped callback.
  queueMicrotask(() => handler?.());
}

/** Whether a trap ended the instance and it has not been re-created yet. */
export function trapped() {
  return trap !== null;
}

/** The trap to recover from (cleared), or null. */
export function takeTrap() {
  const error = trap;
  trap = null;
  return error;
}

/** wasm.js: what to do after a trap in a callback. */
export function onCallbackTrap(recover) {
  handler = recover;
}

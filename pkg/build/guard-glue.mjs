// Patches wasm-bindgen's generated glue (pinned: wasm-bindgen =0.2.130) so
// that a trap inside a callback cannot take the host down. A panic aborts
// the wasm (panic=immediate-abort); inside an async call it happens in a
// callback the runtime invokes (a microtask, a promise reaction, a timer),
// where the RuntimeError escaped as an uncaught exception: Node exited.
// Callbacks of an instance that a trap ended threw "Cannot invoke closure
// from previous WASM instance" the same way. wasm-bindgen offers no hook
// for either, so its closure wrapper is patched here, checked to apply
// exactly where expected (the build fails if the glue changes shape). What
// happens next is decided in pkg/src/traps.js and pkg/src/wasm.js.
import { readFileSync, writeFileSync } from "node:fs";

const PATCHES = [
  {
    what: "drop callbacks of an ended instance",
    from: `        if (state.instance !== __wbg_instance_id) {
            throw new Error('Cannot invoke closure from previous WASM instance');
        }`,
    to: `        // uspeedo-sms: a callback of an instance a trap ended is dropped.
        if (state.instance !== __wbg_instance_id || trapped()) {
            return undefined;
        }`,
  },
  {
    what: "catch a trap inside a callback",
    from: `        try {
            return f(a, state.b, ...args);
        } finally {
            state.a = a;
            real._wbg_cb_unref();
        }`,
    to: `        try {
            return f(a, state.b, ...args);
        } catch (error) {
            // uspeedo-sms: a trap (a panic) is reported, not thrown into the event loop.
            if (!(error instanceof WebAssembly.RuntimeError)) throw error;
            callbackTrapped(error);
            return undefined;
        } finally {
            state.a = a;
            // Not into a trapped instance: its state is inconsistent.
            if (!trapped()) real._wbg_cb_unref();
        }`,
  },
];

const IMPORT = `import { callbackTrapped, trapped } from "../src/traps.js";\n`;

/** Patches the glue file in place; throws if it does not have the expected shape. */
export function guardGlue(file) {
  let text = readFileSync(file, "utf8");
  for (const { what, from, to } of PATCHES) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${file}: cannot ${what}: expected the pattern once, found it ${count} times (wasm-bindgen's glue changed?)`);
    text = text.replace(from, to);
  }
  writeFileSync(file, IMPORT + text);
}

// The instantiated WebAssembly module, loaded on first use. Each runtime's
// entry file says where the compiled module comes from (a file in Node, an
// imported module in Workers, a fetched file in browsers).

// Named imports (not `import *`) so bundlers drop the glue's unused async
// loader: every runtime here instantiates synchronously.
import {
  BulkJob, __wbg_reset_state, clientOptionsJson, initSync, interpretReply, memoryBytes, planBulkJson, prepareJson,
  previewJson, retryDelay, sendOptionsJson, signJson, transportFailure, validateJson,
} from "../generated/uspeedo_sms.js";

const exports = {
  clientOptionsJson, interpretReply, planBulkJson, prepareJson, previewJson, retryDelay, sendOptionsJson, signJson,
  transportFailure, validateJson,
};
import { UspeedoError } from "./errors.js";

let source = null;
let instantiated = false;

/** Called once by the entry file: `load()` returns a WebAssembly.Module or bytes. */
export function setWasmSource(load) {
  source = load;
}

function instantiate() {
  if (instantiated) return;
  if (!source) throw new Error("uspeedo-sms: no WebAssembly source; import the package by its name");
  initSync({ module: source() });
  instantiated = true;
}

/**
 * Calls an export of the Rust facade. A Rust panic aborts the instance; the
 * instance is then re-created, so later calls work, and the failure surfaces
 * as an INTERNAL error instead of a crash.
 */
export function call(name, ...args) {
  return guard(() => exports[name](...args));
}

/** Creates a bulk job object (freed by the caller with `free()`). */
export function createBulkJob(...args) {
  return guard(() => BulkJob.create(...args));
}

/** Runs `fn` against the instance, turning a trap into an INTERNAL error. */
export function guard(fn) {
  instantiate();
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    __wbg_reset_state();
    throw new UspeedoError(
      {
        code: "INTERNAL",
        delivery: "not_sent",
        message: `internal error in uspeedo-sms (${error.message}); the module was re-created, please report this`,
      },
      { cause: error },
    );
  }
}

/** Calls a function of the glue directly (server-only exports), guarded. */
export function callExport(fn, ...args) {
  return JSON.parse(guard(() => fn(...args)));
}

/** Calls a facade export that answers with JSON, and parses the answer. */
export function callJson(name, ...args) {
  return JSON.parse(call(name, ...args));
}

/** Wasm linear memory in bytes (for memory benchmarks and leak tests). */
export function wasmMemoryBytes() {
  instantiate();
  return memoryBytes();
}

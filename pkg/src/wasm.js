// The instantiated WebAssembly module, loaded on first use. Each runtime's
// entry file says where the compiled module comes from (a file in Node, an
// imported module in Workers, a fetched file in browsers).

// Named imports (not `import *`) so bundlers drop the glue's unused async
// loader: every runtime here instantiates synchronously.
import {
  ClientCore, __wbg_reset_state, initSync, memoryBytes, previewMessage, signPayload, validateBatch,
} from "../generated/uspeedo_sms.js";
import { UspeedoError } from "./errors.js";
import { readableInput } from "./input.js";

const exports = { previewMessage, signPayload, validateBatch };

let source = null;
let instantiated = false;
/** Bumped whenever a panic re-creates the instance: older handles are gone. */
let generation = 0;

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
 * Runs `fn` against the instance. A Rust panic aborts the instance; it is
 * then re-created, so later calls work, and the failure surfaces as an
 * INTERNAL error instead of a crash. Errors the core throws are
 * `UspeedoError`s already and pass through.
 */
export function guard(fn) {
  instantiate();
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    __wbg_reset_state();
    generation++;
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

/** Calls a free function of the Rust surface, guarded. */
export function call(name, ...args) {
  return guard(() => exports[name](...args));
}

/**
 * A wasm object made from saved options, made again after a panic
 * re-created the instance (its old handle would dangle).
 */
export function lasting(make) {
  let object = null;
  let madeIn = -1;
  return () => {
    instantiate();
    if (madeIn !== generation) {
      object = make();
      madeIn = generation;
    }
    return object;
  };
}

/**
 * A copy of a caller's options, so a later change to their object
 * does not reach an instance re-made after a panic. Anything else is kept
 * as it is, for the core to name what is wrong with it.
 */
export function savedOptions(options) {
  // Read once, with a getter that throws kept as a finding (input.js), not
  // thrown from the constructor.
  return options !== null && typeof options === "object" && !Array.isArray(options) ? readableInput(options) : options;
}

/** The client core for `options` (checked once, in Rust). */
export function clientCore(options) {
  return guard(() => new ClientCore(options));
}

/** Wasm linear memory in bytes (for memory benchmarks and leak tests). */
export function wasmMemoryBytes() {
  instantiate();
  return memoryBytes();
}

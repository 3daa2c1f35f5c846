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
import { onCallbackTrap, takeTrap } from "./traps.js";

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

/** Async calls in flight, each with the generation of the instance it runs in. */
const inFlight = new Set();

/**
 * Re-creates the instance after a trap (a Rust panic aborts it), so later
 * calls work. The async calls that were running in the old instance can
 * never settle there: they are rejected with INTERNAL, as `unknown` (a
 * request may have been sent). Returns the error for the call that trapped.
 */
function recreate(trap, delivery) {
  __wbg_reset_state();
  generation++;
  const internal = (what) =>
    new UspeedoError(
      {
        code: "INTERNAL",
        delivery: what,
        message: `internal error in uspeedo-sms (${trap.message}); the module was re-created, please report this`,
      },
      { cause: trap },
    );
  for (const call of inFlight) {
    if (call.generation < generation) {
      inFlight.delete(call);
      call.reject(internal("unknown"));
    }
  }
  return internal(delivery);
}

// A trap inside a callback (an async call's continuation, a timer): the
// glue reports it (pkg/build/guard-glue.mjs) instead of throwing it into
// the event loop, where it ended the Node process.
onCallbackTrap(() => {
  const trap = takeTrap();
  if (trap) recreate(trap, "unknown");
});

/** A promise of the wasm's that settles even if a trap ends its instance. */
function tracked(promise) {
  return new Promise((resolve, reject) => {
    const call = { generation, reject };
    inFlight.add(call);
    promise.then(
      (value) => (inFlight.delete(call), resolve(value)),
      (error) => (inFlight.delete(call), reject(error)),
    );
  });
}

/**
 * Runs `fn` against the instance. A Rust panic aborts the instance; it is
 * then re-created, so later calls work, and the failure surfaces as an
 * INTERNAL error instead of a crash. Errors the core throws are
 * `UspeedoError`s already and pass through. A promise `fn` returns is
 * tracked, so a panic later inside it rejects it instead of leaving it
 * pending.
 */
export function guard(fn) {
  instantiate();
  const pendingTrap = takeTrap();
  if (pendingTrap) recreate(pendingTrap, "unknown");
  try {
    const out = fn();
    return out instanceof Promise ? tracked(out) : out;
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    throw recreate(error, "not_sent");
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

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
import { onCallbackTrap, takeTrap, trapped } from "./traps.js";

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
/** Guarded calls on the stack (a guarded call may make another). */
let depth = 0;

/**
 * Memory the package gives back. A WebAssembly memory can only grow: one
 * 100,000-number job takes it to ~35 MiB, which the process would keep for
 * good. Once no call has run for IDLE_MS and the memory is past
 * GIVE_BACK_ABOVE_BYTES, the instance is replaced by a fresh one of the
 * same compiled module (an instantiation, ~1 ms: the code is kept) and the
 * old memory goes with the old instance. Not soon: the next job on a fresh
 * instance pays for growing the memory again (~550 grows of 64 KiB, the
 * page faults, the GC work V8 does for the new memory, the glue
 * re-warming): a 100,000-number sendBulk to the mock took +55-120 ms
 * (~400 ms back to back; tests/bench/bulk.mjs has a row for it), and
 * planBulk 113 -> 144-171 ms. With one second, jobs a few
 * seconds apart paid that every time; ten keeps a burst of jobs fast and
 * still gives the memory back soon after the last. `releaseMemory()` does
 * it now.
 */
const GIVE_BACK_ABOVE_BYTES = 16 * 1024 * 1024;
const IDLE_MS = 10_000;
let idleTimer = null;

/** Gives the memory back now if it has grown past the bound and no call is running; true if it did. */
export function releaseMemory() {
  if (!instantiated || depth > 0 || inFlight.size > 0 || trapped()) return false;
  if (memoryBytes() <= GIVE_BACK_ABOVE_BYTES) return false;
  __wbg_reset_state();
  generation++;
  return true;
}

/** A call ended: when nothing else runs and the memory is large, give it back once idle. */
function ended() {
  if (depth > 0 || inFlight.size > 0 || trapped() || memoryBytes() <= GIVE_BACK_ABOVE_BYTES) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    releaseMemory();
  }, IDLE_MS);
  // Not a reason for a Node, Bun or Deno process to stay alive.
  if (typeof idleTimer === "number") globalThis.Deno?.unrefTimer?.(idleTimer);
  else idleTimer?.unref?.();
}

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
    const settle = (then, outcome) => {
      // Not when a trap already took the call out (its instance is gone).
      if (inFlight.delete(call)) ended();
      then(outcome);
    };
    promise.then((value) => settle(resolve, value), (error) => settle(reject, error));
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
  depth++;
  let running = false;
  try {
    const out = fn();
    running = out instanceof Promise;
    return running ? tracked(out) : out;
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    throw recreate(error, "not_sent");
  } finally {
    depth--;
    if (!running) ended();
  }
}

/** Calls a free function of the Rust surface, guarded. */
export function call(name, ...args) {
  return guard(() => exports[name](...args));
}

/**
 * A wasm object made from saved options, made again when the instance was
 * replaced (after a panic, or to give memory back): its old handle would
 * dangle. `carry(object)` returns what the object learnt; `get.keep()`,
 * called by the owner after each call that may teach it something, keeps
 * that in JS, and `make` gets it when the object is made again. Kept by the
 * owner, not read from every live object at replacement: that would need a
 * registry of weak references, and workerd has no WeakRef.
 */
export function lasting(make, carry = null) {
  let object = null;
  let madeIn = -1;
  let kept;
  const get = () => {
    instantiate();
    while (madeIn !== generation) {
      const made = generation;
      object = make(kept);
      madeIn = made;
    }
    return object;
  };
  if (carry) {
    get.keep = () => {
      if (madeIn === generation) kept = guard(() => carry(object));
    };
  }
  return get;
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

// The request as JSON text, for the server builds' fast way in: one string
// crosses into the wasm and serde_json reads it, instead of one call across
// the boundary per key, per value and per array item (serde-wasm-bindgen).
// Measured (tests/bench, prepare of 1,000 numbers): the crossing was 62 % of
// the time that way.
//
// Only when the text says exactly what the value holds. JSON.stringify turns
// NaN and Infinity into null, drops functions, Symbols and undefined, calls
// toJSON (a Date becomes a string), writes a Map as {} and a hole as null,
// and throws on BigInt and cycles; it escapes a lone surrogate, which
// serde_json refuses. Any of those and this answers undefined: the wasm then
// reads the JS value itself, field by field, and the validator names what
// is wrong and where. Nothing here decides whether a request is valid.

const PLAIN = Object.prototype;
/** Deeper is left to the field-by-field reading (it has the same limit). */
const MAX_DEPTH = 64;

/**
 * Whether JSON.stringify writes exactly `value`. A walk before stringify,
 * not a replacer inside it: 1,000 numbers measured 0.19 ms for walk and
 * stringify against 0.37 ms with a replacer (a call per value). Strings,
 * most of a request's values, are passed over without a call: the walk of
 * 100,000 numbers measured 3.6 ms with a call per string, 2.5 ms without.
 * A hole reads as undefined, which JSON would write as null: not exact.
 */
function exact(value, depth) {
  if (typeof value !== "object") {
    return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && value - value === 0); // finite
  }
  if (value === null) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item !== "string" && !exact(item, depth + 1)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if ((proto !== PLAIN && proto !== null) || "toJSON" in value) return false;
  for (const key in value) {
    const item = value[key];
    if (typeof item !== "string" && !exact(item, depth + 1)) return false;
  }
  return true;
}

/**
 * JSON text of `value`, or undefined when JSON would change it. The wasm
 * has the engine's encoder write its UTF-8 straight into the wasm memory
 * (src/wasm/utf8.rs).
 */
export function exactJsonText(value) {
  let text;
  try {
    if (!exact(value, 0)) return undefined;
    text = JSON.stringify(value);
  } catch {
    // A getter that throws, a Proxy that refuses: the other way reports it.
    return undefined;
  }
  // Lone surrogates are written as \udXXX escapes (paired ones are not
  // escaped); a false alarm only takes the slower way.
  if (text.includes("\\ud") || text.includes("\\uD")) return undefined;
  return text;
}

/** Stands for a value that threw when read (a getter, a revoked Proxy). */
const THREW = Symbol("uspeedo-sms: this value threw when it was read");

/**
 * The value as the field-by-field reading will see it, read once here so
 * that nothing throws there: a throw out of a getter would otherwise pass
 * through the wasm (leaving it mid-call) or, inside an async call, escape
 * as an uncaught exception. Arrays and objects are copied; a key whose
 * getter throws, or an object whose keys cannot be listed, becomes a
 * Symbol, which the validator reports at its path as a value JSON cannot
 * express. Other values (functions, Dates, Maps) are handed over as they
 * are, to be named by the validator.
 */
export function readableInput(value, depth = 0) {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  try {
    if (Array.isArray(value)) {
      const copy = new Array(value.length);
      for (let i = 0; i < value.length; i++) copy[i] = readableInput(readKey(value, i), depth + 1);
      return copy;
    }
    if (Object.prototype.toString.call(value) !== "[object Object]") return value;
    const copy = {};
    for (const key of Object.keys(value)) copy[key] = readableInput(readKey(value, key), depth + 1);
    return copy;
  } catch {
    return THREW;
  }
}

function readKey(object, key) {
  try {
    return object[key];
  } catch {
    return THREW;
  }
}

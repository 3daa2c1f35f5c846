// The request as JSON text, for the server builds' fast way in: one string
// crosses into the wasm and serde_json reads it, instead of one call across
// the boundary per key, per value and per array item (serde-wasm-bindgen).
// Measured (tests/bench, prepare of 1,000 numbers): the crossing was 62 % of
// the time that way.
//
// Only when the text says exactly what the value holds. JSON.stringify turns
// NaN and Infinity into null, drops functions, Symbols and undefined, calls
// toJSON (a Date becomes a string), writes a Map as {} and throws on BigInt
// and cycles; it escapes a lone surrogate, which serde_json refuses. Any of
// those and this answers undefined: the wasm then reads the JS value itself,
// field by field, and the validator names what is wrong and where. Nothing
// here decides whether a request is valid.

const PLAIN = Object.prototype;

function exact(key, value) {
  const original = this[key];
  switch (typeof original) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(original)) return value;
      break;
    case "object": {
      if (original === null || Array.isArray(original)) return value;
      const proto = Object.getPrototypeOf(original);
      if ((proto === PLAIN || proto === null) && typeof original.toJSON !== "function") return value;
      break;
    }
    default:
      break;
  }
  throw INEXACT;
}

const INEXACT = new Error("not exactly JSON");

const encoder = new TextEncoder();

/**
 * JSON text of `value` as UTF-8 bytes, or undefined when JSON would change
 * it. Bytes, because the engine's encoder copies them into the wasm at
 * memcpy speed where a string is copied by a loop over its characters.
 */
export function exactJsonText(value) {
  let text;
  try {
    text = JSON.stringify({ "": value }, exact);
  } catch {
    return undefined;
  }
  // Lone surrogates are written as \udXXX escapes (paired ones are not
  // escaped); a false alarm only takes the slower way.
  if (text.includes("\\ud") || text.includes("\\uD")) return undefined;
  // The wrapper gave the replacer a holder for the top value too.
  return encoder.encode(text.slice(4, -1));
}

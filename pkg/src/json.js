// Values cross into the Rust core as one JSON string: measured cheaper than
// walking the object graph field by field across the wasm boundary.

/** JSON text of `value`, or `null` when it cannot be serialised (cycles, BigInt). */
export function stringify(value) {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    return null;
  }
}

export function notJsonIssue(what) {
  return {
    path: "",
    code: "INVALID_JSON",
    message: `${what} cannot be converted to JSON (does it contain a BigInt or a cycle?)`,
  };
}

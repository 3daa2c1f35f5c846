// The one error type the package throws. The Rust core constructs it (this
// class is imported into the wasm glue); every field comes from the core's
// error description, which never contains the private key.

const BRAND = Symbol.for("uspeedo-sms.UspeedoError");

const FIELDS = [
  "delivery", "requestId", "status", "bodyExcerpt", "retCode", "apiMessage",
  "failContent", "issues", "issueCount", "retryAfterMs", "attempts",
];

export class UspeedoError extends Error {
  constructor(info, options) {
    super(info.message, options);
    this.name = "UspeedoError";
    this.code = info.code;
    this.requestId = info.requestId ?? null;
    for (const field of FIELDS) {
      if (info[field] !== undefined && field !== "requestId") this[field] = info[field];
    }
    Object.defineProperty(this, BRAND, { value: true });
  }

  // The ESM and CJS builds each define this class; the brand lets
  // `instanceof` work across both copies (and across realms).
  static [Symbol.hasInstance](value) {
    return value != null && value[BRAND] === true;
  }

  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message };
    for (const field of FIELDS) if (this[field] !== undefined) out[field] = this[field];
    return out;
  }
}

/**
 * The CONFIG error for what only the JS side can tell (a function called in
 * a build that has no use for it); everything else is named by the core.
 */
export function configError(message) {
  return new UspeedoError({ code: "CONFIG", delivery: "not_sent", message });
}

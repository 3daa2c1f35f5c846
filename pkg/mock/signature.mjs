// Independent implementation of uSpeedo's request signature, written from the
// wire spec (shared/spec/uspeedo-sms-api.md) with node:crypto only. It is the
// oracle the mock checks the product against, so it must never import product
// code.
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Canonical encoding of a parsed JSON value, as the signature preimage wants
 * it. Iterative (an explicit work stack), so hostile nesting depth cannot
 * overflow the call stack. Keys and string values are both emitted raw, so a
 * key can sit on the stack as a plain string.
 */
export function canonicalEncode(value) {
  const parts = [];
  const pending = [value]; // the next item to encode is on top
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || item === undefined) continue; // skipped, like absent fields
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push(item[i]);
    } else if (typeof item === 'object') {
      const keys = Object.keys(item).sort(compareUtf8);
      for (let i = keys.length - 1; i >= 0; i--) {
        const field = item[keys[i]];
        if (field !== null && field !== undefined) pending.push(field, keys[i]);
      }
    } else if (typeof item === 'number') {
      parts.push(formatNumber(item));
    } else {
      parts.push(String(item)); // strings raw, booleans "true"/"false"
    }
  }
  return parts.join('');
}

// The spec sorts keys byte-wise over UTF-8. Comparing code points gives the
// same order; plain UTF-16 comparison would not for astral vs U+E000..U+FFFF.
function compareUtf8(a, b) {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.codePointAt(i) - b.codePointAt(i);
  }
  return a.length - b.length;
}

// Integers as decimal digits; other numbers as the shortest decimal without an
// exponent. JavaScript's own shortest form only needs its exponent expanded.
function formatNumber(number) {
  const text = String(number);
  return text.includes('e') ? expandExponent(text) : text;
}

function expandExponent(text) {
  const [mantissa, exponent] = text.split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** X-Signature for a payload: lowercase hex SHA-1 of enc(payload) + privateKey. */
export function signPayload(payload, privateKey) {
  return createHash('sha1').update(canonicalEncode(payload) + privateKey, 'utf8').digest('hex');
}

/** True when `signature` is the payload's signature under `privateKey`. */
export function verifySignature(payload, privateKey, signature) {
  if (typeof signature !== 'string' || !/^[0-9a-f]{40}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signPayload(payload, privateKey)), Buffer.from(signature));
}

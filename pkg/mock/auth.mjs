// Header authentication as the real API does it: access key, signature over
// the parsed payload, timestamp within the skew window, one-time nonce.
import { RET } from './responses.mjs';
import { verifySignature } from './signature.mjs';

export const TIMESTAMP_WINDOW_SECONDS = 300;
const MAX_NONCE_LENGTH = 32;

export function createAuthenticator({ publicKey, privateKey, now }) {
  // nonce -> time (ms) after which it can no longer be replayed: by then any
  // request carrying it is outside the timestamp window. A timestamp may be up
  // to one window behind the clock, so keep each nonce for two windows.
  const seenNonces = new Map();
  const nonceLifetimeMs = 2 * TIMESTAMP_WINDOW_SECONDS * 1000;

  function forgetExpiredNonces(nowMs) {
    // Map keeps insertion order, which is expiry order while the clock runs forward.
    for (const [nonce, expiresAt] of seenNonces) {
      if (expiresAt > nowMs) break;
      seenNonces.delete(nonce);
    }
  }

  /** Returns null when the request is authentic, else the RET entry to answer with. */
  function check(headers, payload) {
    if (headers['x-access-key-id'] !== publicKey) return RET.BAD_TOKEN;
    if (!verifySignature(payload, privateKey, headers['x-signature'])) return RET.BAD_TOKEN;

    const nowMs = now();
    const timestamp = headers['x-timestamp'];
    if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return RET.TIMESTAMP_EXPIRED;
    if (Math.abs(Number(timestamp) - Math.floor(nowMs / 1000)) > TIMESTAMP_WINDOW_SECONDS) {
      return RET.TIMESTAMP_EXPIRED;
    }

    const nonce = headers['x-nonce'];
    if (typeof nonce !== 'string' || nonce.length < 1 || nonce.length > MAX_NONCE_LENGTH) return RET.BAD_NONCE;
    forgetExpiredNonces(nowMs);
    if (seenNonces.has(nonce)) return RET.NONCE_REUSED;
    seenNonces.set(nonce, nowMs + nonceLifetimeMs);
    return null;
  }

  return { check, clear: () => seenNonces.clear() };
}

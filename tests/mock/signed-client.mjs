// Minimal signed client for the mock's own tests (not a test file itself).
// It signs with ./signature.mjs, which mock.test.mjs checks against the
// spec's official test vectors.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { startMockServer } from '../../pkg/mock/server.mjs';
import { signPayload } from '../../pkg/mock/signature.mjs';

export const KEYS = { publicKey: 'mock-public-key', privateKey: 'mock-private-key' };

/** Starts a mock with the test keys and closes it when the test ends. */
export async function startTestServer(t, options = {}) {
  const server = await startMockServer({ ...KEYS, ...options });
  t.after(() => server.close());
  return server;
}

export const freshNonce = () => randomBytes(16).toString('hex'); // 32 chars, the maximum

export function signedHeaders(payload, {
  publicKey = KEYS.publicKey, privateKey = KEYS.privateKey,
  timestamp = Math.floor(Date.now() / 1000), nonce = freshNonce(),
} = {}) {
  return {
    'Content-Type': 'application/json',
    'X-Access-Key-Id': publicKey,
    'X-Signature': signPayload(payload, privateKey),
    'X-Timestamp': String(timestamp),
    'X-Nonce': nonce,
  };
}

/**
 * POSTs `payload` signed. `headers` entries override (undefined removes one),
 * `body` replaces the serialised payload, the rest goes to signedHeaders.
 */
export async function callApi(server, payload, { headers = {}, body, query, signal, ...signing } = {}) {
  const merged = { ...signedHeaders(payload, signing), ...headers };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const response = await fetch(server.url + (query ?? `?Action=${payload?.Action ?? ''}`), {
    method: 'POST', headers: merged, body: body ?? JSON.stringify(payload), signal,
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A SendBatchUSMSMessage payload with one task sending to `phones`. */
export function sendBatchPayload(phones, { templateId = 'UTA0001', senderId = 'uSpeedo', params = ['1234'] } = {}) {
  return {
    Action: 'SendBatchUSMSMessage',
    TaskContent: [{ TemplateId: templateId, SenderId: senderId, Target: phones.map((Phone) => ({ Phone, TemplateParams: params })) }],
  };
}

export const phoneList = (count, prefix = '(86)138') =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(8, '0')}`);

/** Writes raw bytes to the server and returns whatever comes back before it closes. */
export function rawExchange(port, bytes, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const chunks = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const finish = () => resolve(Buffer.concat(chunks).toString('latin1'));
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

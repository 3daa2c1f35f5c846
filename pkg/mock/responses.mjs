// Response vocabulary of the mock: the RetCodes it answers with and the
// helpers that write HTTP responses. Only 215398 is a code seen from the real
// API; the others are invented (and documented in README.md) so that each
// failure is distinguishable in tests.

export const REQUEST_ID_HEADER = 'X-Speedo-Request-Uuid';

export const RET = {
  BAD_TOKEN: { code: 215398, message: 'Failed to parse token' },
  TIMESTAMP_EXPIRED: { code: 215401, message: 'Timestamp expired or invalid' },
  BAD_NONCE: { code: 215402, message: 'Invalid nonce' },
  NONCE_REUSED: { code: 215403, message: 'Nonce already used' },
  BAD_BODY: { code: 215404, message: 'Request body is not a JSON object' },
  MISSING_ACTION: { code: 215405, message: 'Missing Action' },
  UNKNOWN_ACTION: { code: 215406, message: 'Action not supported' },
  BAD_PARAMETER: { code: 215407, message: 'Missing or invalid parameter' },
  TOO_MANY_PHONES: { code: 215408, message: 'Too many phone numbers (max 1000)' },
  TOO_MANY_SESSIONS: { code: 215409, message: 'Too many SessionNo (max 100)' },
};

/** Body of an API-level error (always sent with HTTP 200, like the real API). */
export function apiError(action, ret, detail) {
  return {
    RetCode: ret.code,
    Action: `${action}Response`,
    Message: detail === undefined ? ret.message : `${ret.message}: ${detail}`,
  };
}

export function sendJson(res, status, body, headers = {}) {
  sendRaw(res, status, Buffer.from(JSON.stringify(body)), 'application/json; charset=utf-8', headers);
}

export function sendRaw(res, status, bytes, contentType, headers = {}) {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

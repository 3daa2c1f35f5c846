// Fault injection: a queue of rules that make the mock misbehave the way real
// networks and gateways do, and the code that writes each misbehaviour.
import { sendJson, sendRaw } from './responses.mjs';

const JSON_TYPE = 'application/json; charset=utf-8';
const HUGE_BODY_PADDING_BYTES = 11 * 1024 * 1024; // just over the 10 MB a sane client should cap
const DRIP_CHUNK_BYTES = 8;
const DEFAULT_DRIP_INTERVAL_MS = 200;

// For each kind: whether the request is still processed (numbers recorded as
// accepted), and the request-log outcome when it is not.
const KINDS = {
  latency: { processes: () => true },
  status429: { processes: () => false, outcome: () => 'rejected 429' },
  status500: { processes: (rule) => rule.processed === true, outcome: () => 'rejected 500' },
  html502: { processes: () => false, outcome: () => 'rejected 502' },
  truncatedJson: { processes: () => true },
  retCodeString: { processes: () => true },
  resetBeforeBody: { processes: () => false, outcome: () => 'dropped' },
  resetAfterBody: { processes: () => true },
  hang: { processes: () => false, outcome: () => 'dropped' },
  slowDrip: { processes: () => true },
  emptyBody: { processes: () => true },
  hugeBody: { processes: () => true },
  wrongTypes: { processes: () => true },
  duplicateKeys: { processes: () => true },
  retCode: { processes: () => false, outcome: (rule) => `error ${rule.retCode}` },
  // A redirect to `rule.location` (default: the mock's own API path): a client
  // that follows it re-posts the signed batch.
  redirect: { processes: () => false, outcome: (rule) => `redirected ${rule.status ?? 307}` },
};

export const FAULT_KINDS = Object.keys(KINDS);

export const faultProcessesRequest = (rule) => KINDS[rule.kind].processes(rule);
export const unprocessedOutcome = (rule) => KINDS[rule.kind].outcome(rule);
export const faultDelayMs = (rule) => (rule?.kind === 'latency' ? rule.ms : 0);

/**
 * Pending rules, consumed in the order injected. The first pending rule whose
 * `match` accepts a request (no `match` accepts all) decides its fate: while
 * the rule still has `after` requests to let pass, the request is handled
 * normally; otherwise the rule claims it, and stays pending for `times` claims.
 */
export class FaultQueue {
  pending = [];

  inject(rule) {
    const stored = validateRule(rule);
    this.pending.push(stored);
    return stored;
  }

  /**
   * resetBeforeBody must be decided before the body is read, so its `match`
   * sees no payload. An earlier rule without a `match` is certain to decide
   * this request, so it is left to decideAfterBody; an earlier rule with a
   * `match` cannot be judged yet and is passed over.
   * Returns { decided, rule }: rule is the fault to apply now, if any.
   */
  decideBeforeBody(req) {
    for (const rule of this.pending) {
      if (rule.kind !== 'resetBeforeBody') {
        if (!rule.match) break;
      } else if (!rule.match || rule.match(undefined, req)) {
        return { decided: true, rule: this.#decide(rule) };
      }
    }
    return { decided: false, rule: null };
  }

  /** The fault to apply to a request whose body has been read, or null. */
  decideAfterBody(payload, req) {
    for (const rule of this.pending) {
      if (rule.kind !== 'resetBeforeBody' && (!rule.match || rule.match(payload, req))) return this.#decide(rule);
    }
    return null;
  }

  clear() {
    this.pending.length = 0;
  }

  #decide(rule) {
    if (rule.after > 0) {
      rule.after -= 1;
      return null;
    }
    rule.times -= 1;
    if (rule.times <= 0) this.pending.splice(this.pending.indexOf(rule), 1);
    return rule;
  }
}

function validateRule(rule) {
  const { kind, times = 1, after = 0, match } = rule ?? {};
  if (!Object.hasOwn(KINDS, kind)) {
    throw new TypeError(`unknown fault kind ${JSON.stringify(kind)}; expected one of ${FAULT_KINDS.join(', ')}`);
  }
  if (!(times === Infinity || (Number.isInteger(times) && times > 0))) throw new TypeError('fault times must be a positive integer');
  if (!(Number.isInteger(after) && after >= 0)) throw new TypeError('fault after must be a non-negative integer');
  if (match !== undefined && typeof match !== 'function') throw new TypeError('fault match must be a function');
  if (kind === 'latency' && !(Number.isFinite(rule.ms) && rule.ms >= 0)) throw new TypeError('latency fault needs ms >= 0');
  if (kind === 'retCode' && rule.retCode === undefined) throw new TypeError('retCode fault needs retCode');
  return { ...rule, kind, times, after };
}

/**
 * Answers (or deliberately fails to answer) a request a fault has claimed.
 * `body` is the normal response body when the fault processes the request.
 */
export function deliverFault(rule, { req, res, body, action, timers }) {
  switch (rule.kind) {
    case 'latency':
      return sendJson(res, 200, body);
    case 'status429': {
      const headers = rule.retryAfter === undefined ? {} : { 'Retry-After': String(rule.retryAfter) };
      return sendRaw(res, 429, Buffer.from('Too Many Requests'), 'text/plain; charset=utf-8', headers);
    }
    case 'status500':
      return rule.format === 'text'
        ? sendRaw(res, 500, Buffer.from('Internal Server Error'), 'text/plain; charset=utf-8')
        : sendJson(res, 500, { Message: 'Internal Server Error' });
    case 'html502':
      return sendRaw(res, 502, Buffer.from(BAD_GATEWAY_PAGE), 'text/html; charset=utf-8');
    case 'truncatedJson': {
      const bytes = Buffer.from(JSON.stringify(body));
      return sendRaw(res, 200, bytes.subarray(0, Math.floor(bytes.length / 2)), JSON_TYPE);
    }
    case 'retCodeString':
      return sendJson(res, 200, { ...body, RetCode: String(body.RetCode) });
    case 'resetBeforeBody':
    case 'resetAfterBody':
      return req.socket.destroy();
    case 'redirect':
      res.writeHead(rule.status ?? 307, { Location: rule.location ?? '/api', 'Content-Length': '0' });
      return res.end();
    case 'hang':
      return undefined; // the socket stays open until the client gives up or close() runs
    case 'slowDrip':
      return drip(res, Buffer.from(JSON.stringify(body)), rule.intervalMs ?? DEFAULT_DRIP_INTERVAL_MS, timers);
    case 'emptyBody':
      return sendRaw(res, 200, Buffer.alloc(0), JSON_TYPE);
    case 'hugeBody':
      return sendJson(res, 200, { ...body, Padding: 'x'.repeat(HUGE_BODY_PADDING_BYTES) });
    case 'wrongTypes':
      return sendJson(res, 200, {
        ...body,
        SuccessCount: { Count: body.SuccessCount ?? 0 },
        FailContent: JSON.stringify(body.FailContent ?? []),
      });
    case 'duplicateKeys': {
      // JSON.parse keeps the last duplicate, so a naive client reads RetCode 1.
      const text = JSON.stringify(body);
      return sendRaw(res, 200, Buffer.from(`${text.slice(0, -1)},"RetCode":1}`), JSON_TYPE);
    }
    case 'retCode':
      return sendJson(res, 200, {
        RetCode: rule.retCode,
        Action: `${action}Response`,
        Message: rule.message ?? 'injected error',
      });
  }
}

async function drip(res, bytes, intervalMs, timers) {
  res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': bytes.length });
  for (let offset = 0; offset < bytes.length; offset += DRIP_CHUNK_BYTES) {
    if (offset > 0) await timers.sleep(intervalMs);
    if (res.destroyed) return;
    res.write(bytes.subarray(offset, offset + DRIP_CHUNK_BYTES));
  }
  res.end();
}

const BAD_GATEWAY_PAGE = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

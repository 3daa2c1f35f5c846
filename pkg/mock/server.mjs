// Mock of the uSpeedo SMS API (POST /api) for tests, demos and benchmarks.
// Node built-ins only; listens on loopback only, since it accepts any send.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { countTargets, processApiRequest } from './actions.mjs';
import { createAuthenticator } from './auth.mjs';
import { FaultQueue, deliverFault, faultDelayMs, faultProcessesRequest, unprocessedOutcome } from './faults.mjs';
import { REQUEST_ID_HEADER, sendJson } from './responses.mjs';

const API_PATH = '/api';

function templateInfo(templates) {
  const info = new Map();
  if (templates === null) return info;
  const entries = Array.isArray(templates) ? templates.map((id) => [id, '']) : Object.entries(templates);
  for (const [id, value] of entries) {
    const { Template = '', Status = 2, TemplateName = id } = typeof value === 'string' ? { Template: value } : value ?? {};
    info.set(id, { Template, Status, TemplateName });
  }
  return info;
}

export async function startMockServer(options = {}) {
  const {
    publicKey, privateKey, port = 0, host = '127.0.0.1', blacklist = [], templates = null, undeliverable = [],
    receiptDelayMs = 0,
    latencyMs = 0, maxBodyBytes = 8 * 1024 * 1024, now = () => Date.now(),
  } = options;
  if (typeof publicKey !== 'string' || publicKey === '') throw new TypeError('publicKey is required');
  if (typeof privateKey !== 'string' || privateKey === '') throw new TypeError('privateKey is required');
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new RangeError(`host must be a 127.x.x.x address, got ${host}`);

  const state = {
    accepted: [],
    sessions: new Map(), // SessionNo -> { acceptedAtMs, records }
    blacklist: new Set(blacklist),
    templates: templates === null ? null : new Set(Array.isArray(templates) ? templates : Object.keys(templates)),
    // QueryUSMSTemplate: id -> { Template, Status } (text only: approved, Status 2).
    templateInfo: templateInfo(templates),
    // GetUSMSSendReceipt: these numbers' receipts say Fail.
    undeliverable: new Set(undeliverable),
    // Receipts say Unknow (pending) until this long after the send.
    receiptDelayMs,
    now,
  };
  const requests = [];
  const faults = new FaultQueue();
  const authenticator = createAuthenticator({ publicKey, privateKey, now });
  const timers = createTimers();
  const sockets = new Set();

  async function handle(req, res) {
    const requestId = randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const url = parseRequestUrl(req.url);
    if (req.method !== 'POST' || url?.pathname !== API_PATH) {
      requests.push({ requestId, action: null, targets: 0, outcome: 'rejected 404' });
      return sendJson(res, 404, { Message: `Not Found: ${req.method} ${req.url}` });
    }
    const queryAction = url.searchParams.get('Action');

    const early = faults.decideBeforeBody(req);
    if (early.rule) {
      requests.push({ requestId, action: queryAction, targets: 0, outcome: unprocessedOutcome(early.rule), fault: early.rule.kind });
      return deliverFault(early.rule, { req, res });
    }

    const bytes = await readBody(req, maxBodyBytes);
    if (bytes === null) {
      requests.push({ requestId, action: queryAction, targets: 0, outcome: 'rejected 413' });
      return sendJson(res, 413, { Message: `Request body larger than ${maxBodyBytes} bytes` });
    }
    const payload = parseJson(bytes);
    // The body's Action is authoritative; the query string only names the
    // response when the body has none.
    const action = typeof payload?.Action === 'string' ? payload.Action : (queryAction ?? '');
    const fault = early.decided ? null : faults.decideAfterBody(payload, req);

    const delayMs = latencyMs + faultDelayMs(fault);
    if (delayMs > 0) await timers.sleep(delayMs);

    const processed = !fault || faultProcessesRequest(fault)
      ? processApiRequest(payload, { state, authenticator, requestId, headers: req.headers, action })
      : null;
    requests.push({
      requestId, action, targets: countTargets(payload),
      outcome: processed ? processed.outcome : unprocessedOutcome(fault),
      ...(fault ? { fault: fault.kind } : {}),
    });
    if (!fault) return sendJson(res, 200, processed.body);
    return deliverFault(fault, { req, res, body: processed?.body, action, timers });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => answerInternalError(res, error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = server.address().port;

  let closing = null;
  function close() {
    closing ??= new Promise((resolve) => {
      timers.cancelAll();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy(); // hanging, dripping and idle keep-alive sockets
    });
    return closing;
  }

  return {
    url: `http://${host}:${boundPort}${API_PATH}`,
    port: boundPort,
    close,
    accepted: state.accepted,
    requests,
    faults: faults.pending,
    acceptedCount: () => state.accepted.length,
    duplicates: () => findDuplicates(state.accepted),
    reset() {
      state.accepted.length = 0;
      state.sessions.clear();
      requests.length = 0;
      faults.clear();
      authenticator.clear();
    },
    injectFault: (rule) => faults.inject(rule),
  };
}

function parseRequestUrl(target) {
  try {
    return new URL(target, 'http://mock.invalid');
  } catch {
    return null;
  }
}

/** The body, or null when it exceeds `limit` (the rest is drained so the client gets the 413). */
async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? null : Buffer.concat(chunks, size);
}

function parseJson(bytes) {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

// A bug in the mock (or a throwing `match` in a test) must surface as an
// answer, never bring the server down.
function answerInternalError(res, error) {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { Message: `mock internal error: ${error?.message ?? error}` });
}

function findDuplicates(accepted) {
  const groups = new Map();
  for (const { TemplateId, Phone, TemplateParams } of accepted) {
    const key = JSON.stringify([TemplateId, Phone, TemplateParams]);
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { TemplateId, Phone, count: 1 });
  }
  return [...groups.values()].filter((group) => group.count > 1);
}

// Timers that close() can cancel, so a stopped server holds no event-loop work
// (a cancelled sleep simply never resolves).
function createTimers() {
  const pending = new Set();
  let cancelled = false;
  return {
    sleep(ms) {
      return new Promise((resolve) => {
        if (cancelled) return;
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.add(timer);
      });
    },
    cancelAll() {
      cancelled = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}

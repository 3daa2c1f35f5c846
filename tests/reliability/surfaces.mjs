// Runs one matrix cell inside a runtime (Node child process or the Worker):
// builds the surface's client against the given URL, sends, and returns a
// JSON-safe summary plus a deep leak scan of every live object it touched
// (the client, the thrown error or the result/report, every hook payload,
// every proxy response). No Node built-ins: this file is bundled into the Worker.
import { PROXY_ERROR_HEADER, PROXY_URL, batch, describeError, requestKeys } from "./fixtures.mjs";
import { deepScan, needles } from "./leak-scan.mjs";

/**
 * spec: { surface, baseUrl, publicKey, privateKey, cfg } where cfg is
 * matrix CONFIG. env: { inspect? } (Node passes util.inspect).
 */
export async function runCase(sms, spec, env = {}) {
  const { surface, cfg } = spec;
  const artifacts = [];
  const events = { client: [], upstream: [] };
  const hook = (list, type) => (event) => list.push({ type, ...event });
  const started = Date.now();
  let summary;
  if (surface === "sendBatch") summary = await sendBatchCase(sms, spec, cfg, artifacts, events, hook);
  else if (surface === "sendBulk") summary = await sendBulkCase(sms, spec, cfg, artifacts, events, hook);
  else if (surface === "proxy") summary = await proxyCase(sms, spec, cfg, artifacts, events, hook);
  else if (surface === "getReceipts") summary = await readCase(sms, spec, cfg, artifacts, events, hook);
  else throw new Error(`unknown surface ${surface}`);
  const elapsedMs = Date.now() - started;
  const scan = deepScan({ artifacts, events }, needles(spec.privateKey), { inspect: env.inspect });
  return {
    ...summary,
    elapsedMs,
    hooks: { client: hookSummary(events.client), upstream: hookSummary(events.upstream) },
    leaks: { hits: scan.hits.slice(0, 5), hitCount: scan.hits.length, visited: scan.visited, bytes: scan.bytes },
  };
}

function hookSummary(list) {
  const requests = list.filter((e) => e.type === "request");
  const responses = list.filter((e) => e.type === "response");
  const nonces = requests.map((e) => e.headers?.["X-Nonce"]).filter(Boolean);
  const signed = requests.filter((e) => "X-Signature" in (e.headers ?? {}));
  return {
    requests: requests.length,
    responses: responses.length,
    distinctNonces: new Set(nonces).size,
    nonces: nonces.length,
    signed: signed.length,
    redacted: signed.every((e) => e.headers["X-Signature"] === "[redacted]" && e.headers["X-Access-Key-Id"] === "[redacted]"),
    statuses: responses.map((e) => e.status),
    errors: responses.map((e) => e.error ?? null),
  };
}

function clientArtifacts(client, artifacts) {
  artifacts.push(client, client.toJSON(), JSON.stringify(client), String(client));
}

async function outcomeOf(promise, artifacts, sms) {
  try {
    const value = await promise;
    artifacts.push(value);
    return { value };
  } catch (error) {
    artifacts.push(error);
    return { error, isUspeedoError: error instanceof sms.UspeedoError };
  }
}

function resultSummary(result) {
  return {
    RetCode: result.RetCode, SuccessCount: result.SuccessCount, failed: result.failed.length,
    resend: requestKeys(result.resendRequest), requestId: result.requestId ?? null,
  };
}

/** A client with the key pair, its hooks recorded, itself scanned for the key. */
function directClient(sms, spec, cfg, artifacts, events, hook) {
  const client = new sms.Client({
    publicKey: spec.publicKey, privateKey: spec.privateKey, baseUrl: spec.baseUrl,
    timeoutMs: cfg.clientTimeoutMs, maxRetries: cfg.maxRetries,
    onRequest: hook(events.client, "request"), onResponse: hook(events.client, "response"),
  });
  clientArtifacts(client, artifacts);
  return client;
}

async function sendBatchCase(sms, spec, cfg, artifacts, events, hook) {
  const client = directClient(sms, spec, cfg, artifacts, events, hook);
  const out = await outcomeOf(client.sendBatch(batch(cfg.send.count, { offset: cfg.send.offset })), artifacts, sms);
  if (out.error) return { outcome: "error", error: describeError(out.error), isUspeedoError: out.isUspeedoError };
  return { outcome: "result", result: resultSummary(out.value) };
}

async function sendBulkCase(sms, spec, cfg, artifacts, events, hook) {
  const client = directClient(sms, spec, cfg, artifacts, events, hook);
  const progress = [];
  const request = batch(cfg.bulk.count, { templates: cfg.bulk.templates, offset: cfg.bulk.offset });
  const out = await outcomeOf(
    client.sendBulk(request, {
      chunkSize: cfg.bulk.chunkSize, concurrency: cfg.bulk.concurrency, onProgress: (p) => progress.push(p),
    }),
    artifacts, sms,
  );
  artifacts.push(progress);
  if (out.error) return { outcome: "error", error: describeError(out.error), isUspeedoError: out.isUspeedoError };
  const report = out.value;
  const entries = (bucket) => report[bucket].map((e) => [e.path, `${e.TemplateId}|${e.Phone}`]);
  return {
    outcome: "report",
    report: {
      totals: report.totals,
      stoppedBy: report.stoppedBy?.code ?? null,
      chunks: report.chunks.map((c) => ({
        index: c.index, status: c.status, targets: c.targets, attempts: c.attempts,
        code: c.error?.code ?? null, delivery: c.error?.delivery ?? null,
      })),
      buckets: { accepted: entries("accepted"), failed: entries("failed"), unknown: entries("unknown"), notAttempted: entries("notAttempted") },
      duplicates: report.duplicates.length,
      resend: requestKeys(report.resendRequest),
      sessionNos: report.sessionNos.length,
      progressCalls: progress.length,
      lastProgress: progress.at(-1) ?? null,
    },
  };
}

/** A read: receipts for SessionNos the mock never issued (one call; no receipts, each listed). */
async function readCase(sms, spec, cfg, artifacts, events, hook) {
  const client = directClient(sms, spec, cfg, artifacts, events, hook);
  const sessionNos = Array.from({ length: cfg.read.sessions }, (_, i) => `matrix-session-${i}`);
  const out = await outcomeOf(client.getReceipts(sessionNos), artifacts, sms);
  if (out.error) return { outcome: "error", error: describeError(out.error), isUspeedoError: out.isUspeedoError };
  return { outcome: "result", read: { receipts: out.value.receipts.length, without: out.value.sessionsWithoutReceipts.length } };
}

/** The proxy's options as the server would set them (keys, upstream, allow-list). */
export function matrixProxyOptions(spec, cfg, events, hook) {
  return {
    publicKey: spec.publicKey, privateKey: spec.privateKey, baseUrl: spec.baseUrl,
    timeoutMs: cfg.proxyUpstreamTimeoutMs, maxRetries: cfg.maxRetries, allowTemplates: ["UTA0", "UTA1"],
    onRequest: hook(events.upstream, "request"), onResponse: hook(events.upstream, "response"),
  };
}

async function proxyCase(sms, spec, cfg, artifacts, events, hook) {
  const handler = sms.createProxyHandler(matrixProxyOptions(spec, cfg, events, hook));
  artifacts.push(handler);
  const responses = [];
  const client = new sms.Client({
    proxyUrl: PROXY_URL, timeoutMs: cfg.proxyClientTimeoutMs, maxRetries: cfg.maxRetries,
    onRequest: hook(events.client, "request"), onResponse: hook(events.client, "response"),
    // The browser's fetch, wired straight to the server's handler.
    fetch: async (url, init) => {
      const request = new Request(url, init);
      const response = await handler(request);
      const text = await response.clone().text();
      const headers = Object.fromEntries(response.headers);
      artifacts.push(text, headers);
      responses.push({ status: response.status, proxyError: response.headers.get(PROXY_ERROR_HEADER) === "1", bytes: text.length });
      return response;
    },
  });
  clientArtifacts(client, artifacts);
  const out = await outcomeOf(client.sendBatch(batch(cfg.send.count, { offset: cfg.send.offset })), artifacts, sms);
  const base = { responses };
  if (out.error) return { ...base, outcome: "error", error: describeError(out.error), isUspeedoError: out.isUspeedoError };
  return { ...base, outcome: "result", result: resultSummary(out.value) };
}

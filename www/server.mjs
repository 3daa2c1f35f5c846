#!/usr/bin/env node
// The demo's one process, on 127.0.0.1 only:
//   /            the admin page (www/), no build step
//   /pkg/…       the built package (pkg/dist), imported by the page as a user would
//   /sms         the package's signing proxy (createProxyHandler): the key stays here
//   /api/info    what the page needs to know: mock or real, known templates, mock counters
// and, unless USPEEDO_PUBLIC_KEY / USPEEDO_PRIVATE_KEY are set, an in-process
// mock of the uSpeedo API (the package's uspeedo-sms/mock) that the proxy talks to.
//
//   node www/server.mjs [--port 8080] [--mock-latency-ms 150]
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { securityHeaders, sendJson, sendText, staticFolder } from "./server/http.mjs";
import {
  MOCK_BLACKLIST, MOCK_RECEIPT_DELAY_MS, MOCK_TEMPLATES, MOCK_TEMPLATES_IN_REVIEW, MOCK_UNDELIVERABLE, demoSettings, maskKey, mockTemplates,
} from "./server/settings.mjs";

const WWW = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(WWW);
const DIST = join(ROOT, "pkg", "dist");
const REAL_API_URL = "https://api.uspeedo.com/api";

async function loadPackage() {
  const entry = join(DIST, "node.mjs");
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: build the package first (bash www/demo.sh does, or node pkg/build/build.mjs)`);
  }
  return import(pathToFileURL(entry).href);
}

/** The upstream the proxy signs for: a fresh mock (random keys, nothing leaves the machine) or uSpeedo. */
async function startUpstream(settings, mockLatencyMs) {
  if (settings.mode === "real") {
    const { mode, ...proxyOptions } = settings;
    return { mock: null, apiUrl: settings.baseUrl ?? REAL_API_URL, proxyOptions };
  }
  const { startMockServer } = await import(pathToFileURL(join(ROOT, "pkg", "mock", "server.mjs")).href);
  const keys = { publicKey: `demo-${randomBytes(6).toString("hex")}`, privateKey: randomBytes(24).toString("base64") };
  const mock = await startMockServer({
    ...keys, blacklist: MOCK_BLACKLIST, templates: mockTemplates(), latencyMs: mockLatencyMs,
    undeliverable: MOCK_UNDELIVERABLE, receiptDelayMs: MOCK_RECEIPT_DELAY_MS,
  });
  // The proxy gets the template texts too, so it re-checks parameter counts
  // and lengths itself instead of trusting the page.
  return { mock, apiUrl: mock.url, proxyOptions: { ...keys, baseUrl: mock.url, templates: MOCK_TEMPLATES } };
}

/**
 * Starts everything; resolves once listening. `port: 0` picks a free port.
 * Returns `{ url, mode, mock, close() }`; `mock` (null in real mode) is the
 * mock's handle, so tests can compare the page with what "uSpeedo" recorded.
 */
export async function startDemo({ port = 8080, env = process.env, mockLatencyMs = 150, log = console.log } = {}) {
  const settings = demoSettings(env);
  const { createProxyHandler, toNodeHandler } = await loadPackage();
  const { mock, apiUrl, proxyOptions } = await startUpstream(settings, mockLatencyMs);
  let proxy;
  try {
    proxy = createProxyHandler(proxyOptions);
  } catch (error) {
    await mock?.close();
    throw error;
  }

  const page = staticFolder(WWW, { extensions: [".html", ".js", ".css", ".svg"], exclude: ["server"] });
  const pkg = staticFolder(DIST, { extensions: [".mjs", ".wasm", ".json"] });
  const info = () => ({
    mode: settings.mode,
    apiUrl,
    publicKey: settings.mode === "real" ? maskKey(settings.publicKey) : null,
    // TemplateId -> text ("" when the text is unknown, as with a real account's allow-list).
    templates: mock ? { ...MOCK_TEMPLATES, ...MOCK_TEMPLATES_IN_REVIEW } : Object.fromEntries((settings.allowTemplates ?? []).map((id) => [id, ""])),
    blacklist: mock ? MOCK_BLACKLIST : [],
    mock: mock && { accepted: mock.acceptedCount(), duplicates: mock.duplicates().length, requests: mock.requests.length },
  });

  let allowedHosts = new Set();
  let smsHandler = null;
  // A token per start (as Jupyter does): the server prints the page's URL
  // with it, the page sends it with every /sms request, and a local process
  // that did not see the terminal cannot send through this server.
  const token = randomBytes(16).toString("hex");
  const tokenOk = (given) => typeof given === "string" && given.length === token.length
    && timingSafeEqual(Buffer.from(given), Buffer.from(token));
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(readFileSync(join(WWW, "index.html"), "utf8"))?.[1] ?? "";
  const headers = securityHeaders(createHash("sha256").update(importMap).digest("base64"));
  async function route(req, res) {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // Only our own names: a DNS-rebinding page on another site would reach
    // 127.0.0.1 under its own host name, and in real mode /sms sends real SMS.
    if (!allowedHosts.has(req.headers.host ?? "")) return sendText(res, 403, "unexpected Host header");
    const { pathname } = new URL(req.url, "http://localhost");
    if (pathname === "/sms") {
      // The package's Node adapter: Host and Origin checked again, malformed
      // requests answered, never thrown.
      if (!tokenOk(req.headers["x-demo-token"])) {
        return sendText(res, 403, "missing or wrong demo token: open the URL the demo server printed");
      }
      const started = Date.now();
      await smsHandler(req, res);
      log(`POST /sms -> ${res.statusCode} in ${Date.now() - started} ms`);
      return;
    }
    if (pathname === "/api/info" && req.method === "GET") return sendJson(res, 200, info());
    if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "method not allowed");
    const served = pathname.startsWith("/pkg/")
      ? await pkg(pathname.slice("/pkg/".length), req, res)
      : await page(pathname === "/" ? "index.html" : pathname.slice(1), req, res);
    if (!served) sendText(res, 404, `not found: ${pathname}`);
  }

  const sockets = new Set();
  const server = createServer((req, res) => {
    route(req, res).catch((error) => {
      // The proxy answers its own refusals and upstream failures; a throw is a bug worth seeing.
      console.error(`demo server: ${req.method} ${req.url}: ${error?.stack ?? error}`);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("internal error");
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  try {
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
  } catch (error) {
    await mock?.close();
    throw error.code === "EADDRINUSE" ? new Error(`port ${port} is in use; pick another with --port N`) : error;
  }
  // An admin tool needs no slow clients: short header and request deadlines,
  // few connections.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 64;
  const actualPort = server.address().port;
  allowedHosts = new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]);
  smsHandler = toNodeHandler(proxy, { allowedHosts: [...allowedHosts] });

  let closing = null;
  const close = () => (closing ??= (async () => {
    // Keep-alive sockets would hold server.close() open; the page can reconnect.
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    await mock?.close();
  })());
  return { url: `http://127.0.0.1:${actualPort}/?token=${token}`, token, mode: settings.mode, apiUrl, settings, mock, close };
}

// ---- command line ---------------------------------------------------------

function parseArgs(argv) {
  const options = { port: 8080, mockLatencyMs: 150 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--port") options.port = Number(value());
    else if (flag === "--mock-latency-ms") options.mockLatencyMs = Number(value());
    else if (flag === "--help" || flag === "-h") options.help = true;
    else throw new Error(`unknown argument ${argv[i]} (try --help)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error("--port needs a number from 0 to 65535");
  if (!Number.isFinite(options.mockLatencyMs) || options.mockLatencyMs < 0) throw new Error("--mock-latency-ms needs a number ≥ 0");
  return options;
}

const USAGE = `usage: node www/server.mjs [--port N] [--mock-latency-ms MS]

  --port N             listen on 127.0.0.1:N (default 8080; 0 picks a free port)
  --mock-latency-ms MS delay of every mock API answer, so progress is visible (default 150)

Without USPEEDO_PUBLIC_KEY / USPEEDO_PRIVATE_KEY the proxy talks to an embedded
mock of the uSpeedo API. With both set it talks to the real API
(USPEEDO_API_BASE_URL overrides its address; USPEEDO_ACCOUNT_ID is optional;
USPEEDO_ALLOW_TEMPLATES=ID1,ID2 is required: the only templates it may send)
and real SMS are sent. The printed URL carries a token for this run; the page
sends it with every request, and the server refuses requests without it.`;

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) return console.log(USAGE);

  let demo;
  try {
    demo = await startDemo(options);
  } catch (error) {
    console.error(`demo server: ${error.message}`);
    process.exit(1);
  }
  if (demo.mode === "real") {
    const { publicKey, allowTemplates } = demo.settings;
    console.log([
      "",
      "  *** REAL MODE: messages sent from this page reach real phones and cost money ***",
      `  the proxy signs with key ${maskKey(publicKey)} and sends to ${demo.apiUrl}`,
      `  templates allowed: ${allowTemplates.join(", ")}`,
      "",
    ].join("\n"));
  } else {
    console.log(`mock mode: the proxy talks to an embedded mock uSpeedo API at ${demo.apiUrl}; nothing leaves this machine`);
    console.log(`  templates: ${Object.keys(MOCK_TEMPLATES).join(", ")} (in review: ${Object.keys(MOCK_TEMPLATES_IN_REVIEW).join(", ")}); `
      + `blacklisted numbers: ${MOCK_BLACKLIST.join(", ")}; undeliverable: ${MOCK_UNDELIVERABLE.join(", ")}`);
  }
  console.log(`uspeedo-sms demo: ${demo.url}   (Ctrl-C stops it)`);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) process.exit(1); // a second Ctrl-C: do not wait any longer
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await demo.close();
    process.exit(0);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

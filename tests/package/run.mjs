// Packaging tests: builds and `npm pack`s pkg/, installs the tarball into each
// consumer fixture under fixtures/, and runs each against the mock uSpeedo API
// (which checks the signature headers itself) on 127.0.0.1. Node and the
// Worker sign themselves; the pages have no key and go through the signing
// proxy (createProxyHandler) that static-server.mjs mounts at /sms. The
// Worker also serves that proxy itself (fixtures/worker/proxy-checks.mjs).
//
//   node tests/package/run.mjs [--no-build] [--only node-esm,worker] [--verbose]
//
// Deno and Bun run from the npm packages that carry their binaries (this
// folder's devDependencies), so nothing outside npm is needed.
//
// Prints one line per fixture and `N passed, N failed`; exits 1 on any failure.
// Installs its own devDependencies (npm ci) when missing. miniflare is pinned to
// 4.20260426.0, the last that runs on Node 20 (later ones need Node 22).
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockServer } from "../../pkg/mock/server.mjs";
import { proxyRouteChecks } from "./fixtures/worker/proxy-checks.mjs";
import { startStaticServer } from "./static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const pkgDir = join(root, "pkg");
const fixturesDir = join(here, "fixtures");
const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : null;

const KEYS = { publicKey: "pk_package_test", privateKey: "sk_package_test" };
const TIMEOUT_MS = 1500; // the client's timeout in the TIMEOUT check (Node, Worker)
const PROXY_TIMEOUT_MS = 1500; // the pages' proxy's timeout towards uSpeedo...
const PAGE_TIMEOUT_MS = 10_000; // ...and the page client's, so the proxy's fires first
const BULK_COUNT = 2500; // numbers in the sendBulk check: 3 requests of <= 1000
const BULK_REQUESTS = 3;
// The reads check: 3 receipt calls (250 sessions), a templates call, a 500 and
// its retry, checkTemplates' lookup; the trackDelivery check: one receipts call.
const READS = 3 + 1 + 2 + 1 + 1;
const WORKER_PROXY = { token: "fixture-proxy-token", readToken: "fixture-read-token", maxBodyBytes: 16 * 1024 }; // as in worker.mjs
const FIXTURE_LIMIT_MS = 90_000; // a whole fixture, install and build included
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Runs a command; rejects on a non-zero exit or after `timeoutMs`. */
function exec(command, commandArgs, { cwd, env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${commandArgs.join(" ")} (in ${cwd}) ${signal ? `killed after ${timeoutMs} ms` : `exited ${code}`}\n${stderr || stdout}`));
    });
  });
}

function withLimit(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: over ${ms} ms`)), ms)));
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** The last line of a Node fixture's stdout is its JSON report. */
function lastJsonLine({ stdout, stderr }) {
  try {
    return JSON.parse(stdout.trim().split("\n").at(-1));
  } catch {
    throw new Error(`no JSON report; stdout:\n${stdout}\nstderr:\n${stderr}`);
  }
}

// ---- runtimes -------------------------------------------------------------

const DENO = join(here, "node_modules/@deno/linux-x64-glibc/deno");
const BUN = join(here, "node_modules/@oven/bun-linux-x64/bin/bun");
/** Nothing but loopback: no update check (Deno), no crash reports or auto-install (Bun). */
const QUIET_RUNTIME_ENV = { DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", DO_NOT_TRACK: "1" };

/** A server runtime running `command args` in the fixture's folder; its last stdout line is the report. */
async function runScript(name, command, commandArgs, config) {
  const dir = join(fixturesDir, name);
  const env = { ...QUIET_RUNTIME_ENV, USPEEDO_FIXTURE_CONFIG: JSON.stringify(config) };
  const output = await exec(command, commandArgs, { cwd: dir, env, timeoutMs: 30_000 });
  const report = lastJsonLine(output);
  return { report, loaded: report.loaded.replace(/^.*node_modules\//, "") };
}

const runNode = (name, entry, config) => runScript(name, process.execPath, [entry], config);

async function runWorker(config, ctx) {
  const dir = join(fixturesDir, "worker");
  const out = join(dir, "dist");
  rmSync(out, { recursive: true, force: true });
  const esbuild = await import("esbuild");
  // As wrangler bundles: the `workerd` condition first, .wasm imports left as modules.
  const built = await esbuild.build({
    entryPoints: [join(dir, "worker.mjs")], outfile: join(out, "worker.mjs"), bundle: true, format: "esm",
    platform: "neutral", conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"],
    external: ["*.wasm"], metafile: true, logLevel: "error",
  });
  const loaded = Object.keys(built.metafile.inputs).find((f) => f.includes("uspeedo-sms/"))?.replace(/^.*node_modules\//, "");
  copyFileSync(join(dir, "node_modules/uspeedo-sms/dist/uspeedo_sms_bg.wasm"), join(out, "uspeedo_sms_bg.wasm"));

  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true, scriptPath: join(out, "worker.mjs"), modulesRoot: out,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2024-09-23",
    // What the Worker's /sms proxy reads from `env`, as from wrangler secrets.
    bindings: {
      USPEEDO_PUBLIC_KEY: config.publicKey, USPEEDO_PRIVATE_KEY: config.privateKey,
      USPEEDO_API_BASE_URL: config.baseUrl, PROXY_TOKEN: WORKER_PROXY.token, PROXY_READ_TOKEN: WORKER_PROXY.readToken,
    },
  });
  try {
    const response = await mf.dispatchFetch("http://fixture.test/", { method: "POST", body: JSON.stringify(config) });
    const text = await response.text();
    if (!response.ok) throw new Error(`worker answered HTTP ${response.status}: ${text}`);
    const report = JSON.parse(text);
    const dispatch = (url, init) => mf.dispatchFetch(url, init);
    const route = await proxyRouteChecks(dispatch, ctx.mock, { ...WORKER_PROXY, phone: config.proxyPhone });
    report.checks.push(...route.checks);
    return { report, loaded, sessionNos: [route.sessionNo] };
  } finally {
    await mf.dispose();
  }
}

/**
 * The console errors Chromium logs for what the checks provoke on purpose:
 * the proxy's 504 (timeout), 502 (redirect), 500 (the read retried), 403 (refusals) and the
 * refused connection.
 */
const EXPECTED_CONSOLE = [504, 502, 500, 403].map((status) => new RegExp(`^console: Failed to load resource: the server responded with a status of ${status} `))
  .concat([/^console: Failed to load resource: net::ERR_CONNECTION_REFUSED$/]);

/**
 * Requests a page makes to its proxy: send, timeout, the abort in flight, the
 * redirect check, the bulk chunks, proxyRefusal's two, the reads (as at the
 * mock, plus the lookup the proxy refuses).
 */
const PAGE_PROXY_REQUESTS = 1 + 1 + 1 + 1 + BULK_REQUESTS + 2 + READS + 1;

async function runPage(siteRoot, config, ctx) {
  const { chromium } = await import("playwright-core");
  const server = await startStaticServer({
    root: siteRoot, mounts: { "/shared/": join(fixturesDir, "shared") }, appDir: ctx.appDir,
    proxyOptions: { ...KEYS, baseUrl: config.baseUrl, allowTemplates: ["UTA_PKG_TEST", "UTA_PKG_REVIEW", "UTA_PKG_UNKNOWN"], timeoutMs: PROXY_TIMEOUT_MS },
  });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const page = await browser.newPage();
    const problems = [];
    // Nothing but the page's own server (127.0.0.1) may be reached.
    await page.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
    const crashed = new Promise((_, reject) => page.on("pageerror", (e) => reject(new Error(`page error: ${e.stack ?? e}`))));
    crashed.catch(() => {}); // raced below; may reject before that
    // The page gets no keys and no uSpeedo URL: only its proxy.
    const { publicKey, privateKey, baseUrl, ...pageConfig } = config;
    server.config = { ...pageConfig, proxyUrl: "/sms", proxyStatsUrl: "/proxy-stats.json", timeoutMs: PAGE_TIMEOUT_MS, proxyTimeoutMs: PROXY_TIMEOUT_MS };
    await page.goto(`${server.origin}/index.html`, { timeout: 15_000 });
    const waited = page.waitForFunction(() => window.__report, null, { timeout: 45_000 });
    await Promise.race([waited, crashed]);
    const report = await page.evaluate(() => window.__report);
    // More requests than the checks make would mean hidden retries; fewer, a check that stopped early.
    const failures = server.proxyRequests === PAGE_PROXY_REQUESTS ? [] : [`proxy: ${server.proxyRequests} requests, expected ${PAGE_PROXY_REQUESTS}`];
    // Any other console error (a .wasm that 404s, a failed compile) fails the page.
    const unexpected = problems.filter((p) => !EXPECTED_CONSOLE.some((re) => re.test(p)));
    if (unexpected.length) failures.push(`browser console: ${unexpected.join(" | ")}`);
    const notes = report.notes?.keyPairRefusedBy === "constructor" ? []
      : [`note: new Client({ publicKey, privateKey }) in the browser build is refused by ${report.notes?.keyPairRefusedBy}, not the constructor`];
    const loaded = `${ctx.loaded}; proxy ${server.proxyLoaded.replace(/^.*node_modules\//, "")}`;
    return { report, loaded, console: problems, failures, notes };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Bundles a page with `build(entry, outfile)` and runs it. A page on
 * `uspeedo-sms/inline` must come out with the wasm inside (no .wasm URL to
 * 404 on); one on `uspeedo-sms/init` (`emitsWasm`) with the .wasm beside it.
 */
async function runBundledPage(name, build, config, ctx, { emitsWasm = false } = {}) {
  const dir = join(fixturesDir, name);
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  const outfile = join(dir, "dist", "main.js");
  await build(join(dir, "main.js"), outfile);
  const emitted = readdirSync(join(dir, "dist"));
  const wasmFiles = emitted.filter((f) => f.endsWith(".wasm"));
  if (emitsWasm && wasmFiles.length !== 1) throw new Error(`${name}: expected one .wasm beside the bundle, got ${emitted.join(", ")}`);
  if (!emitsWasm && (wasmFiles.length || readFileSync(outfile, "utf8").includes("_bg.wasm"))) {
    throw new Error(`${name}: the bundle still loads a .wasm file (${emitted.join(", ")})`);
  }
  const size = `${(statSync(outfile).size / 1024).toFixed(0)} KB`;
  const loaded = `${name.replace("browser-", "")} -> dist/main.js (${size}${emitsWasm ? `) + ${wasmFiles[0]}` : ", wasm inside)"}`;
  return runPage(dir, config, { ...ctx, appDir: dir, loaded });
}

/** As a user would: bundle for the browser, nothing else configured (`loader`: the init page's one option). */
async function esbuildPage(entry, outfile, loader = {}) {
  const esbuild = await import("esbuild");
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, format: "esm", platform: "browser", loader, logLevel: "error" });
}

async function rollupPage(input, file) {
  const { rollup } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  // node-resolve only finds packages in node_modules; no plugin for .wasm.
  const warnings = [];
  const bundle = await rollup({ input, plugins: [nodeResolve({ browser: true })], onwarn: (w) => warnings.push(w.message) });
  try {
    await bundle.write({ file, format: "es" });
  } finally {
    await bundle.close();
  }
  if (warnings.length) console.log(`      (rollup) ${warnings.join("\n      ")}`);
}

const FIXTURES = {
  "node-esm": (config) => runNode("node-esm", "index.mjs", config),
  "node-cjs": (config) => runNode("node-cjs", "index.js", config),
  // Read: the installed package (its .wasm); env: the fixture's config; net: loopback only.
  deno: (config) => runScript("deno", DENO, ["run", "--no-lock", "--allow-read=node_modules", "--allow-env=USPEEDO_FIXTURE_CONFIG",
    "--allow-net=127.0.0.1", "index.mjs"], config),
  bun: (config) => runScript("bun", BUN, ["run", "--no-install", "index.mjs"], config),
  worker: runWorker,
  "browser-plain": (config, ctx) => runPage(join(fixturesDir, "browser-plain"), config,
    { ...ctx, appDir: join(fixturesDir, "browser-plain"), loaded: "uspeedo-sms/dist/browser.mjs (import map)" }),
  "browser-vite": async (config, ctx) => {
    const dir = join(fixturesDir, "browser-vite");
    rmSync(join(dir, "dist"), { recursive: true, force: true });
    const vite = await exec(process.execPath, [join(here, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], { cwd: dir, timeoutMs: 60_000 });
    const warnings = (vite.stdout + vite.stderr).trim();
    if (warnings) console.log(`      (vite build) ${warnings.replaceAll("\n", "\n      ")}`);
    const assets = readdirSync(join(dir, "dist", "assets"));
    if (!assets.some((f) => f.endsWith(".wasm"))) throw new Error(`vite emitted no .wasm: ${assets.join(", ")}`);
    return runPage(join(dir, "dist"), config, { ...ctx, appDir: dir, loaded: `vite build -> dist/assets/${assets.join(", ")}` });
  },
  "browser-esbuild": (config, ctx) => runBundledPage("browser-esbuild", esbuildPage, config, ctx),
  "browser-rollup": (config, ctx) => runBundledPage("browser-rollup", rollupPage, config, ctx),
  "browser-esbuild-init": (config, ctx) => runBundledPage("browser-esbuild-init",
    (entry, outfile) => esbuildPage(entry, outfile, { ".wasm": "file" }), config, ctx, { emitsWasm: true }),
};

/**
 * What each runtime makes of a refused connection (the refusedConnection
 * check): Node, Deno and Bun say it was refused, so it is retried and then
 * `not_sent`; workerd ("Network connection lost.") and browsers ("Failed to
 * fetch") word it as they word a reset, so it is `unknown` and not retried.
 */
const TELLS_REFUSED = { delivery: "not_sent", attempts: 2 };
const CANNOT_TELL = { delivery: "unknown", attempts: 1 };
const REFUSED = { "node-esm": TELLS_REFUSED, "node-cjs": TELLS_REFUSED, deno: TELLS_REFUSED, bun: TELLS_REFUSED, default: CANNOT_TELL };

/**
 * Requests each fixture's checks make to the mock: send, timeout, the abort
 * in flight, bulk, the reads (+ the Worker's proxy route: a send, a read).
 */
const REDIRECT = 1; // the redirect check: one request, never re-posted
const MOCK_REQUESTS = {
  worker: 3 + BULK_REQUESTS + 2 + READS + REDIRECT,
  default: 3 + BULK_REQUESTS + READS + REDIRECT,
};

// ---- main ---------------------------------------------------------------

/** A loopback port nobody listens on (for the refused-connection note). */
function freePort() {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function pack() {
  if (!args.includes("--no-build")) {
    if (!existsSync(join(pkgDir, "node_modules", "esbuild"))) await exec("npm", ["ci", "--no-audit", "--no-fund"], { cwd: pkgDir });
    await exec(process.execPath, ["build/build.mjs"], { cwd: pkgDir, timeoutMs: 300_000 });
  }
  const dest = mkdtempSync(join(tmpdir(), "uspeedo-pack-"));
  const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", dest], { cwd: pkgDir });
  const [info] = JSON.parse(stdout);
  const files = info.files.map((f) => f.path);
  const needed = ["package.json", "dist/node.mjs", "dist/node.cjs", "dist/workerd.mjs", "dist/browser.mjs", "dist/inline.mjs",
    "dist/init.mjs", "dist/init.d.ts", "dist/uspeedo_sms_bg.wasm", "dist/uspeedo_sms_browser_bg.wasm", "dist/uspeedo_sms_campaign_bg.wasm",
    "dist/cloudflare.mjs", "dist/campaign.mjs", "mock/server.mjs", "mock/cli.mjs", "mock/index.d.ts"];
  const missing = needed.filter((f) => !files.includes(f));
  if (missing.length) throw new Error(`the tarball lacks ${missing.join(", ")}`);
  console.log(`packed ${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(1)} KB`);
  return { tarball: join(dest, info.filename), dest };
}

async function install(name, tarball) {
  const dir = join(fixturesDir, name);
  rmSync(join(dir, "node_modules"), { recursive: true, force: true });
  await exec("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: dir });
}

/** Each fixture's numbers differ (by `index`), so the mock's log tells them apart. */
function numbersFor(index) {
  const bulkPrefix = `(86)1370${index}`;
  return {
    phone: `(86)1380013800${index}`, hangPhone: `(86)1390013900${index}`, proxyPhone: `(86)1360013600${index}`,
    redirectPhone: `(86)1370013700${index}`, retrySession: `retry-session-${index}`,
    bulk: { prefix: bulkPrefix, count: BULK_COUNT, blacklisted: `${bulkPrefix}001234` },
  };
}

/** Numbers accepted more than once among `accepted` (the mock's own rule: template, phone, params). */
function duplicatesIn(accepted) {
  const seen = new Set();
  return accepted.filter((a) => {
    const key = JSON.stringify([a.TemplateId, a.Phone, a.TemplateParams]);
    return seen.has(key) || !seen.add(key);
  });
}

/** What the mock saw of one fixture, against what its report claims. */
function mockProblems(mock, name, config, outcome, before) {
  const problems = [];
  const { report } = outcome;
  const accepted = mock.accepted.slice(before.accepted);
  for (const sessionNo of [report.sessionNo, ...(outcome.sessionNos ?? [])]) {
    const got = accepted.filter((a) => a.SessionNo === sessionNo);
    if (got.length !== 1) problems.push(`mock: SessionNo ${sessionNo} accepted for ${got.length} numbers, expected 1`);
  }
  if (!accepted.some((a) => a.Phone === config.phone)) problems.push(`mock: ${config.phone} never accepted`);
  const bulkAccepted = accepted.filter((a) => a.Phone.startsWith(config.bulk.prefix)).length;
  if (report.notes?.bulk && bulkAccepted !== report.notes.bulk.accepted) {
    problems.push(`mock: accepted ${bulkAccepted} bulk numbers, the report says ${report.notes.bulk.accepted}`);
  }
  const duplicates = duplicatesIn(accepted);
  if (duplicates.length) problems.push(`mock: accepted twice: ${duplicates.slice(0, 5).map((d) => d.Phone).join(", ")}`);
  const requests = mock.requests.length - before.requests;
  const expected = MOCK_REQUESTS[name] ?? MOCK_REQUESTS.default;
  if (requests !== expected) problems.push(`mock: ${requests} requests, expected ${expected}`);
  return problems;
}

async function main() {
  const started = Date.now();
  if (!existsSync(join(here, "node_modules", ".package-lock.json"))) {
    await exec("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here, timeoutMs: 300_000 });
  }
  const { tarball, dest } = await pack();
  const names = Object.keys(FIXTURES).filter((n) => !only || only.includes(n));
  await Promise.all(names.map((n) => install(n, tarball)));

  // One blacklisted number in each fixture's bulk send.
  const mock = await startMockServer({
    ...KEYS, blacklist: names.map((_, i) => numbersFor(i).bulk.blacklisted),
    templates: { UTA_PKG_TEST: "Your code is {1}", UTA_PKG_REVIEW: { Template: "Your code is {1}", Status: 1 } },
  });
  const refusedUrl = `http://127.0.0.1:${await freePort()}/api`;
  let passed = 0;
  let failed = 0;
  try {
    for (const [index, name] of names.entries()) {
      const t0 = Date.now();
      const refused = REFUSED[name] ?? REFUSED.default;
      const config = { ...KEYS, baseUrl: mock.url, refusedUrl, refused, timeoutMs: TIMEOUT_MS, ...numbersFor(index) };
      // Two hangs: the timeout check and the abort-in-flight check.
      const hang = mock.injectFault({ kind: "hang", times: 2, match: (payload) => payload?.TaskContent?.[0]?.Target?.[0]?.Phone === config.hangPhone });
      // One redirect, for the check that it is not followed.
      const redirect = mock.injectFault({ kind: "redirect", match: (payload) => payload?.TaskContent?.[0]?.Target?.[0]?.Phone === config.redirectPhone });
      // One 500 on a read, for the read rule's check.
      const readFault = mock.injectFault({ kind: "status500", match: (payload) => payload?.SessionNoSet?.[0] === config.retrySession });
      const before = { requests: mock.requests.length, accepted: mock.accepted.length };
      let outcome;
      const problems = [];
      try {
        outcome = await withLimit(FIXTURES[name](config, { mock, refusedUrl }), FIXTURE_LIMIT_MS, name);
        for (const check of outcome.report.checks) if (!check.ok) problems.push(`${check.name}: ${check.error}`);
        if (mock.faults.includes(hang)) problems.push("mock: the hanging request never arrived");
        if (mock.faults.includes(redirect)) problems.push("mock: the redirected request never arrived");
        if (mock.faults.includes(readFault)) problems.push("mock: the read answered with a 500 never arrived");
        problems.push(...(outcome.failures ?? []), ...mockProblems(mock, name, config, outcome, before));
      } catch (error) {
        problems.push(String(error?.message ?? error));
      }
      // Notes are printed, not failed: things worth a look that the checks allow.
      const notes = outcome?.notes ?? [];
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      const checks = outcome ? `${outcome.report.checks.length} checks` : "no report";
      if (problems.length === 0) {
        passed++;
        console.log(`ok    ${name} (${checks}, ${seconds}s) loaded ${outcome.loaded}`);
      } else {
        failed++;
        console.log(`FAIL  ${name} (${checks}, ${seconds}s)`);
        for (const p of problems) console.log(`      ${p.replaceAll("\n", "\n      ")}`);
      }
      for (const note of notes) console.log(`      ${note}`);
      if (verbose && outcome) {
        for (const c of outcome.report.checks) console.log(`        ${c.ok ? "ok" : "FAIL"} ${c.name}`);
        console.log(`        refused connection -> ${outcome.report.refused}`);
      }
      if ((verbose || problems.length) && outcome?.console?.length) console.log(`        browser console: ${outcome.console.join(" | ")}`);
    }
  } finally {
    await mock.close();
    rmSync(dest, { recursive: true, force: true });
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  console.log("0 passed, 1 failed");
  process.exitCode = 1;
});

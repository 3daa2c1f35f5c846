// Reliability and security suite of uspeedo-sms, against the mock uSpeedo API
// on 127.0.0.1, in Node (a child process) and in workerd (miniflare):
//
//   1. the fault matrix (matrix.mjs): every fault x sendBatch / sendBulk /
//      proxy x node / workerd, checking the error code, delivery, attempts,
//      bulk accounting and what the mock received
//   2. the secret-leak scan over all of it: every thrown error, hook payload,
//      returned object and proxy response (deep, in the runtime), every line
//      either runtime printed (captured in the runtime and from the real
//      stdout/stderr of the Node child and of workerd)
//   3. the signing proxy under abuse (proxy-abuse.mjs)
//   4. load (load.mjs): 200 concurrent sendBatch + 10 concurrent sendBulk
//      jobs per round, with injected faults, memory before/after
//
//   node tests/reliability/run.mjs [--quick] [--build | --no-build]
//        [--only matrix,abuse,load] [--runtimes node,workerd] [--verbose]
//
// --quick is the CI profile (a few minutes on 2 cores); the default runs the
// matrix twice and a heavier load. Builds pkg/ first when pkg/dist is missing
// (--build forces it, --no-build never builds). Ends with `N passed, N failed`
// and exits 1 on any failure. Only 127.0.0.1 and one .invalid name are targets.
import { fork, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockServer } from "../../pkg/mock/server.mjs";
import { PRIVATE_KEY, PUBLIC_KEY, payloadHasPhone, phone, withLimit } from "./fixtures.mjs";
import { needles, scanText } from "./leak-scan.mjs";
import { BUGS, CONFIG, MATRIX, RUNTIMES, SURFACES, expected } from "./matrix.mjs";
import { ABUSE_CASES, CASE_BY_ID, abuseProblems, isLargeUpload, runAbuseCase, runAbuseConcurrent } from "./proxy-abuse.mjs";
import { LOAD_PROFILES, loadFaults, loadProblems } from "./load.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const pkgDir = join(root, "pkg");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const verbose = args.includes("--verbose");
const listArg = (name, all) => (args.includes(name) ? args[args.indexOf(name) + 1].split(",") : all);
const parts = listArg("--only", ["matrix", "abuse", "load"]);
const runtimes = listArg("--runtimes", RUNTIMES);
const SUITE_LIMIT_MS = quick ? 12 * 60_000 : 40 * 60_000;
const KEYS = { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY };
const NEEDLES = needles(PRIVATE_KEY);

let passed = 0;
let failed = 0;
const failures = [];
function record(name, problems) {
  if (problems.length === 0) passed++;
  else {
    failed++;
    failures.push({ name, problems });
  }
  return problems.length === 0;
}

const log = (line = "") => process.stdout.write(`${line}\n`);
const mb = (bytes) => (bytes == null ? "—" : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

// ---- setup ------------------------------------------------------------------

function exec(command, commandArgs, { cwd, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${commandArgs.join(" ")} (in ${cwd}) failed:\n${output.slice(-3000)}`));
    });
  });
}

async function prepare() {
  if (!existsSync(join(here, "node_modules", ".package-lock.json"))) {
    log("installing tests/reliability dependencies (npm ci)");
    await exec("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here });
  }
  const needed = ["node.mjs", "workerd.mjs", "uspeedo_sms_bg.wasm"].map((f) => join(pkgDir, "dist", f));
  const missing = needed.some((f) => !existsSync(f));
  if (!args.includes("--no-build") && (missing || args.includes("--build"))) {
    log("building the package (pkg/build/build.mjs)");
    if (!existsSync(join(pkgDir, "node_modules", "esbuild"))) await exec("npm", ["ci", "--no-audit", "--no-fund"], { cwd: pkgDir });
    await exec(process.execPath, ["build/build.mjs"], { cwd: pkgDir, timeoutMs: 600_000 });
  }
  for (const f of needed) if (!existsSync(f)) throw new Error(`${f} is missing: build the package (node pkg/build/build.mjs)`);
  return new Date(statSync(needed[2]).mtimeMs).toISOString().replace("T", " ").slice(0, 19);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The Node runtime: node-surface.mjs as a child, its real stdout/stderr kept for the scan. */
function startNode() {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, "node-surface.mjs"), [], {
      execArgv: ["--expose-gc"], stdio: ["ignore", "pipe", "pipe", "ipc"], serialization: "advanced",
    });
    const stdio = { out: [], err: [] };
    child.stdout.on("data", (d) => stdio.out.push(String(d)));
    child.stderr.on("data", (d) => stdio.err.push(String(d)));
    const pending = new Map();
    let next = 1;
    let exited = null;
    child.on("exit", (code, signal) => {
      exited = `node runtime exited (${signal ?? code})`;
      for (const { reject: r } of pending.values()) r(new Error(exited));
      pending.clear();
    });
    child.on("message", (message) => {
      if (message.ready) {
        resolve({
          name: "node", stdio, pid: child.pid, loaded: "pkg/dist/node.mjs",
          call(op, spec, limitMs = 120_000) {
            if (exited) return Promise.reject(new Error(exited));
            const id = next++;
            const promise = new Promise((res, rej) => pending.set(id, { resolve: res, reject: rej }));
            child.send({ id, op, spec });
            return withLimit(promise, limitMs, `node ${op}`).then((value) => ({ value, raw: JSON.stringify(value) }));
          },
          async close() {
            child.disconnect?.();
            await withLimit(new Promise((r) => (exited ? r() : child.once("exit", r))), 10_000, "node runtime exit")
              .catch(() => child.kill("SIGKILL"));
          },
        });
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(new Error(message.error));
    });
    child.on("error", reject);
    setTimeout(() => reject(new Error("node runtime did not start within 30 s")), 30_000).unref();
  });
}

async function startRuntimes() {
  const started = {};
  if (runtimes.includes("node")) started.node = await startNode();
  if (runtimes.includes("workerd")) {
    const { startWorker } = await import("./worker/host.mjs");
    started.workerd = await startWorker();
  }
  return started;
}

/** RSS of the workerd process miniflare started (a child of this process), from /proc. */
function workerdRss() {
  try {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== process.pid || !stat.includes("(workerd)")) continue;
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
      if (kb) return kb * 1024;
    }
  } catch {
    // not Linux, or the process is gone
  }
  return null;
}

// ---- leak bookkeeping ---------------------------------------------------------

const leaks = { hits: [], objects: 0, bytes: 0, texts: 0, textBytes: 0 };
function scanRaw(text, where) {
  leaks.texts++;
  leaks.textBytes += text.length;
  for (const hit of scanText(text, NEEDLES, where)) leaks.hits.push(hit);
}
function addRuntimeScan(scan, where) {
  leaks.objects += scan.visited ?? 0;
  leaks.bytes += scan.bytes ?? 0;
  for (const hit of scan.hits ?? []) leaks.hits.push({ ...hit, where: `${where}: ${hit.where}` });
  if ((scan.hitCount ?? 0) > (scan.hits?.length ?? 0)) {
    leaks.hits.push({ where, form: "…", excerpt: `${scan.hitCount - scan.hits.length} more` });
  }
}

// ---- 1. the fault matrix --------------------------------------------------------

const SEND_BLACKLIST = CONFIG.send.blacklisted.map((i) => phone(CONFIG.send.offset + i));
const BULK_BLACKLIST = CONFIG.bulk.blacklisted.map((i) => phone(CONFIG.bulk.offset + i));

function injectFor(mock, row, surface) {
  for (const rule of row.inject.rules) {
    if (surface !== "sendBulk") {
      mock.injectFault({ ...rule });
    } else if (rule.kind === "resetBeforeBody") {
      // Decided before the body is read: no phone to match; the 2nd request.
      mock.injectFault({ ...rule, after: 1 });
    } else {
      const target = phone(CONFIG.bulk.offset + CONFIG.bulk.faultAt);
      mock.injectFault({ ...rule, match: (payload) => payloadHasPhone(payload, target) });
    }
  }
}

const mockKeys = (mock) => mock.accepted.map((a) => `${a.TemplateId}|${a.Phone}`);
const sortedEq = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function checkError(exp, got, problems) {
  if (got.outcome !== "error") return problems.push(`got ${got.outcome}, expected ${exp.code}/${exp.delivery}`);
  const e = got.error;
  if (!got.isUspeedoError) problems.push(`threw a ${e.name}, not a UspeedoError: ${e.message}`);
  if (e.code !== exp.code || e.delivery !== exp.delivery) problems.push(`${e.code}/${e.delivery}, expected ${exp.code}/${exp.delivery} (${e.message})`);
  if (exp.status !== undefined && e.status !== exp.status) problems.push(`status ${e.status}, expected ${exp.status}`);
  if ("retryAfterMs" in exp && e.retryAfterMs !== exp.retryAfterMs) problems.push(`retryAfterMs ${e.retryAfterMs}, expected ${exp.retryAfterMs}`);
  if (exp.retCode !== undefined && e.retCode !== exp.retCode) problems.push(`retCode ${e.retCode}, expected ${exp.retCode}`);
  if (exp.bodyExcerpt && !String(e.bodyExcerpt ?? "").includes(exp.bodyExcerpt)) problems.push(`bodyExcerpt ${JSON.stringify(e.bodyExcerpt)}`);
}

function checkResult(got, problems) {
  if (got.outcome !== "result") return problems.push(`got ${got.error?.code}/${got.error?.delivery} (${got.error?.message}), expected a result`);
  const r = got.result;
  if (r.RetCode !== 0 || r.SuccessCount !== 9 || r.failed !== 1 || r.resend.length !== 1) {
    problems.push(`result RetCode ${r.RetCode}, SuccessCount ${r.SuccessCount}, failed ${r.failed}, resend ${r.resend.length}`);
  }
}

function checkHooks(h, attempts, label, problems) {
  if (h.requests !== attempts) problems.push(`${label}${h.requests} attempt(s), expected ${attempts}`);
  if (h.responses !== h.requests) problems.push(`${label}${h.requests} onRequest but ${h.responses} onResponse`);
  if (h.distinctNonces !== h.nonces) problems.push(`${label}a nonce was reused across retries`);
  if (!h.redacted) problems.push(`${label}hook headers not redacted`);
}

function checkMock(mock, exp, problems) {
  if (mock.requests.length !== exp.mock.requests) {
    problems.push(`mock got ${mock.requests.length} request(s), expected ${exp.mock.requests} [${mock.requests.map((r) => r.outcome).join(", ")}]`);
  }
  if (mock.accepted.length !== exp.mock.accepted) problems.push(`mock accepted ${mock.accepted.length} numbers, expected ${exp.mock.accepted}`);
  const dups = mock.duplicates();
  if (dups.length) problems.push(`mock received ${dups.length} number(s) twice, e.g. ${dups[0].Phone}`);
}

function checkBulk(exp, got, mock, problems) {
  if (got.outcome !== "report") return problems.push(`sendBulk threw ${got.error?.code}: ${got.error?.message}`);
  const r = got.report;
  const t = r.totals;
  const short = (x) => `a${x.accepted} f${x.failed} u${x.unknown} n${x.notAttempted}`;
  if (short(t) !== short(exp.totals)) problems.push(`totals ${short(t)}, expected ${short(exp.totals)}`);
  const chunks = r.chunks.map((c) => (c.code ? `${c.status}:${c.code}` : c.status)).sort();
  if (!sortedEq(chunks, exp.chunks)) problems.push(`chunks [${chunks}], expected [${exp.chunks}]`);
  if (r.stoppedBy !== exp.stoppedBy) problems.push(`stoppedBy ${r.stoppedBy}, expected ${exp.stoppedBy}`);
  if (exp.faultedAttempts !== undefined) {
    for (const c of r.chunks) {
      if (c.code && c.code !== "STOPPED" && c.attempts !== exp.faultedAttempts) problems.push(`chunk ${c.index} (${c.code}) made ${c.attempts} attempt(s), expected ${exp.faultedAttempts}`);
    }
  }
  // Accounting: every input path in exactly one bucket.
  const seen = new Map();
  for (const [bucket, entries] of Object.entries(r.buckets)) {
    for (const [path] of entries) {
      if (seen.has(path)) problems.push(`${path} is in ${seen.get(path)} and ${bucket}`);
      seen.set(path, bucket);
    }
  }
  if (seen.size !== CONFIG.bulk.count || t.targets !== CONFIG.bulk.count) problems.push(`${seen.size} numbers accounted for, ${CONFIG.bulk.count} sent`);
  const keys = (b) => r.buckets[b].map(([, k]) => k);
  if (!sortedEq(r.resend, [...keys("failed"), ...keys("notAttempted")])) problems.push("resendRequest is not exactly failed + notAttempted");
  // Against what the mock saw.
  const got2 = new Set(mockKeys(mock));
  const reportedAccepted = keys("accepted");
  const missing = reportedAccepted.filter((k) => !got2.has(k));
  if (missing.length) problems.push(`${missing.length} number(s) reported accepted that the mock never accepted`);
  const possible = new Set([...reportedAccepted, ...keys("unknown")]);
  const hidden = [...got2].filter((k) => !possible.has(k));
  if (hidden.length) problems.push(`${hidden.length} number(s) accepted by the mock but reported failed/notAttempted, e.g. ${hidden[0]}`);
  if (r.progressCalls !== r.chunks.length) problems.push(`onProgress called ${r.progressCalls} times for ${r.chunks.length} chunks`);
  checkMock(mock, exp, problems);
}

function checkCell(surface, exp, got, mock) {
  const problems = [];
  if (exp.minMs && got.elapsedMs < exp.minMs) problems.push(`took ${got.elapsedMs} ms, expected ≥ ${exp.minMs} ms (a wait skipped?)`);
  if (surface === "sendBatch") {
    if (exp.ok) checkResult(got, problems);
    else checkError(exp, got, problems);
    if (exp.ok || exp.attempts) checkHooks(got.hooks.client, exp.attempts, "", problems);
    if (!exp.ok && got.error?.attempts !== exp.attempts) problems.push(`error.attempts ${got.error?.attempts}, expected ${exp.attempts}`);
    checkMock(mock, exp, problems);
  } else if (surface === "getReceipts") {
    if (exp.ok && got.outcome !== "result") problems.push(`got ${got.error?.code}/${got.error?.delivery} (${got.error?.message}), expected receipts`);
    else if (exp.ok && (got.read.receipts !== 0 || got.read.without !== CONFIG.read.sessions)) problems.push(`read ${JSON.stringify(got.read)}`);
    else if (!exp.ok) checkError(exp, got, problems);
    checkHooks(got.hooks.client, exp.attempts, "", problems);
    if (!exp.ok && got.error?.attempts !== exp.attempts) problems.push(`error.attempts ${got.error?.attempts}, expected ${exp.attempts}`);
    checkMock(mock, exp, problems);
  } else if (surface === "sendBulk") {
    checkBulk(exp, got, mock, problems);
    checkHooks(got.hooks.client, got.hooks.client.requests, "", problems);
  } else {
    const last = got.responses.at(-1);
    if (!last) problems.push("the proxy was never called");
    else {
      if (last.status !== exp.status) problems.push(`proxy answered HTTP ${last.status}, expected ${exp.status}`);
      if (last.proxyError !== exp.proxyError) problems.push(exp.proxyError ? "uSpeedo's answer passed through, expected the proxy's own refusal" : "a proxy refusal, expected uSpeedo's answer passed through");
    }
    if (exp.ok) checkResult(got, problems);
    else checkError(exp, got, problems);
    checkHooks(got.hooks.client, exp.clientAttempts, "client: ", problems);
    checkHooks(got.hooks.upstream, exp.upstreamAttempts, "upstream: ", problems);
    checkMock(mock, exp, problems);
  }
  return problems;
}

async function runMatrix(rt, refusedUrl, pass) {
  const cells = new Map(); // `${row.id}|${surface}|${runtime}` -> { problems, known, ms }
  const lanes = [];
  for (const runtime of Object.keys(rt)) {
    for (const surface of SURFACES) {
      lanes.push((async () => {
        const mock = await startMockServer({ ...KEYS, blacklist: [...SEND_BLACKLIST, ...BULK_BLACKLIST] });
        try {
          for (const row of MATRIX) {
            const exp = expected(row, surface, runtime);
            mock.reset();
            injectFor(mock, row, surface);
            const baseUrl = { mock: mock.url, refused: refusedUrl, dns: CONFIG.dnsUrl }[row.inject.target];
            const spec = { surface, baseUrl, ...KEYS, cfg: CONFIG };
            let problems;
            let ms = 0;
            try {
              const { value, raw } = await rt[runtime].call("case", spec, CONFIG.caseLimitMs);
              scanRaw(raw, `${runtime} ${surface} ${row.id} reply`);
              addRuntimeScan(value.leaks, `${runtime} ${surface} ${row.id}`);
              ms = value.elapsedMs;
              problems = checkCell(surface, exp, value, mock);
              if (verbose) log(`  ${runtime} ${surface} ${row.id}: ${value.elapsedMs} ms ${problems.length ? problems.join("; ") : "ok"}`);
            } catch (error) {
              problems = [`case failed: ${String(error?.message ?? error).split("\n")[0]}`];
            }
            cells.set(`${row.id}|${surface}|${runtime}`, { problems, known: exp.known ?? null, ms });
            const name = `matrix${pass ? ` (pass ${pass})` : ""}: ${row.id} / ${surface} / ${runtime}`;
            record(name, problems.length && exp.known ? [`known failure ${exp.known}: ${problems[0]}`, ...problems.slice(1)] : problems);
          }
        } finally {
          await mock.close();
        }
      })());
    }
  }
  await Promise.all(lanes);
  return cells;
}

function printMatrix(cells, rtNames) {
  const columns = SURFACES.flatMap((s) => rtNames.map((r) => [s, r]));
  const width = 22;
  const faultWidth = Math.max(...MATRIX.map((r) => r.fault.length)) + 1;
  const pad = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
  log(`${"fault".padEnd(faultWidth)}| ${columns.map(([s, r]) => pad(`${s}/${r}`, width)).join("| ")}`);
  log(`${"-".repeat(faultWidth)}+${columns.map(() => "-".repeat(width + 1)).join("+")}`);
  const details = [];
  for (const row of MATRIX) {
    const line = columns.map(([s, r]) => {
      const cell = cells.get(`${row.id}|${s}|${r}`);
      if (!cell) return pad("·", width);
      if (cell.problems.length === 0) return pad(cell.known ? `✓ (${cell.known} fixed?)` : "✓", width);
      details.push(`${row.id} / ${s} / ${r}${cell.known ? ` [known failure ${cell.known}]` : ""}: ${cell.problems.join("; ")}`);
      return pad(cell.known ? `✗ known ${cell.known}` : `✗ ${cell.problems[0]}`, width);
    });
    log(`${row.fault.padEnd(faultWidth)}| ${line.join("| ")}`);
  }
  const all = [...cells.values()];
  const bad = all.filter((c) => c.problems.length);
  const knownBad = bad.filter((c) => c.known);
  log(`matrix: ${all.length} cells (${MATRIX.length} faults × ${SURFACES.length} surfaces × ${rtNames.length} runtimes): `
    + `${all.length - bad.length} ✓, ${bad.length} ✗${knownBad.length ? ` (${knownBad.length} known: ${[...new Set(knownBad.map((c) => c.known))].join(", ")})` : ""}`);
  for (const d of details) log(`  ✗ ${d}`);
}

// ---- 3. proxy abuse -------------------------------------------------------------

async function runAbuse(rt) {
  const table = new Map(); // case id -> runtime -> text
  const extra = [];
  for (const runtime of Object.keys(rt)) {
    const mock = await startMockServer({ ...KEYS });
    const name = `abuse-${runtime}`;
    try {
      await rt[runtime].call("abuseSetup", { name, ...KEYS, baseUrl: mock.url });
      for (const c of ABUSE_CASES) {
        if (c.runtimes && !c.runtimes.includes(runtime)) continue;
        mock.reset();
        let problems;
        try {
          let out;
          if (runtime === "node") {
            ({ value: out } = await rt.node.call("abuse", { name, caseId: c.id, ...KEYS }, 60_000));
          } else if (isLargeUpload(c)) {
            // Uploads over the limit are built in the Worker (see the abuseLocal op).
            ({ value: out } = await rt.workerd.call("abuseLocal", { name, caseId: c.id, ...KEYS }, 60_000));
            out.via = "in-Worker Request";
          } else {
            out = await runAbuseCase((_url, init) => rt.workerd.dispatch(`http://worker.test/abuse/${name}`, init), c.id, undefined, NEEDLES);
          }
          scanRaw(JSON.stringify(out), `${runtime} abuse ${c.id}`);
          addRuntimeScan(out.leak, `${runtime} abuse ${c.id}`);
          problems = abuseProblems(c, out, mock.requests.length);
          const cell = problems.length ? `✗ ${problems[0]}` : `✓ ${out.status}${out.issueCodes.length ? ` ${out.issueCodes.slice(0, 2).join(",")}` : ""} ${out.ms}ms${out.via ? "*" : ""}`;
          if (!table.has(c.id)) table.set(c.id, {});
          table.get(c.id)[runtime] = cell;
        } catch (error) {
          problems = [`failed: ${String(error?.message ?? error).split("\n")[0]}`];
          if (!table.has(c.id)) table.set(c.id, {});
          table.get(c.id)[runtime] = `✗ ${problems[0]}`;
        }
        record(`abuse: ${c.id} / ${runtime}`, problems);
      }
      // Prototype pollution through "__proto__" in a body.
      const { value: pol } = runtime === "node" ? await rt.node.call("pollution", {}) : await rt.workerd.call("pollution", {});
      record(`abuse: no prototype pollution / ${runtime}`, pol.polluted ? ["Object.prototype.polluted is set"] : []);
      // Many at once: valid only, then mixed with abusive ones.
      const sizes = quick ? [200, 200] : [1000, 500];
      for (const [i, mixed] of [false, true].entries()) {
        mock.reset();
        const count = sizes[i];
        const spec = { name, count, mixed, base: 100_000 };
        const problems = [];
        let conc = { ms: 0, byStatus: {}, valid: 0, wrongCount: 0 };
        try {
          // workerd: the valid ones through dispatchFetch (workerd's HTTP layer); the mixed ones, which
          // include uploads over the limit, as Requests inside the Worker (see abuseLocal).
          conc = runtime === "node" || mixed
            ? (await rt[runtime].call("abuseConcurrent", spec, 180_000)).value
            : await runAbuseConcurrent((_url, init) => rt.workerd.dispatch(`http://worker.test/abuse/${name}`, init), spec);
          if (conc.wrongCount) problems.push(`${conc.wrongCount} wrong answers, e.g. ${JSON.stringify(conc.wrong[0])}`);
        } catch (error) {
          problems.push(`failed: ${String(error?.message ?? error).split("\n")[0]}`);
        }
        if (mock.requests.length !== conc.valid) problems.push(`mock got ${mock.requests.length} requests for ${conc.valid} valid ones`);
        if (mock.accepted.length !== conc.valid) problems.push(`mock accepted ${mock.accepted.length} numbers for ${conc.valid} valid requests`);
        if (mock.duplicates().length) problems.push("a number reached the mock twice");
        record(`abuse: ${count} concurrent ${mixed ? "mixed" : "valid"} / ${runtime}`, problems);
        extra.push(`${runtime}: ${count} concurrent ${mixed ? "mixed (1 in 5 valid)" : "valid"} requests in ${conc.ms} ms, `
          + `statuses ${JSON.stringify(conc.byStatus)}, mock got ${mock.requests.length}: ${problems.length ? `✗ ${problems.join("; ")}` : "✓"}`);
      }
      // Still serving after all of it.
      mock.reset();
      const after = runtime === "node"
        ? (await rt.node.call("abuse", { name, caseId: "valid", ...KEYS })).value
        : await runAbuseCase((_url, init) => rt.workerd.dispatch(`http://worker.test/abuse/${name}`, init), "valid");
      const problems = abuseProblems(CASE_BY_ID.get("valid"), after, mock.requests.length);
      record(`abuse: still serving afterwards / ${runtime}`, problems);
      extra.push(`${runtime}: a valid request after the abuse: ${problems.length ? `✗ ${problems.join("; ")}` : `✓ HTTP ${after.status}`}`);
    } finally {
      await mock.close();
    }
  }
  const rtNames = Object.keys(rt);
  const w = 44;
  log(`${"case".padEnd(w)}| ${"expected".padEnd(26)}| ${rtNames.map((r) => r.padEnd(36)).join("| ")}`);
  log(`${"-".repeat(w)}+${"-".repeat(27)}+${rtNames.map(() => "-".repeat(37)).join("+")}`);
  for (const c of ABUSE_CASES) {
    const e = c.expect;
    const expect = `${e.status}${e.issue ? ` ${e.issue}` : e.code ? ` ${e.code}` : ""}${e.mock ? " →mock" : ""}`;
    const cells = rtNames.map((r) => (table.get(c.id)?.[r] ?? "· (n/a)").slice(0, 36).padEnd(36));
    log(`${`${c.group}: ${c.label}`.slice(0, w - 1).padEnd(w)}| ${expect.padEnd(26)}| ${cells.join("| ")}`);
  }
  if (rtNames.includes("workerd")) {
    log("  workerd cases go through miniflare's dispatchFetch (workerd's HTTP layer), except * : uploads over the limit, built as a Request")
    log("  inside the Worker (undici cannot show an early answer to an upload it is still writing: it may report ECONNRESET instead of the 413)");
  }
  for (const line of extra) log(line);
}

// ---- 4. load --------------------------------------------------------------------

async function runLoad(rt) {
  const rows = [];
  for (const runtime of Object.keys(rt)) {
    const profile = runtime === "node" ? (quick ? LOAD_PROFILES.quick : LOAD_PROFILES.full) : (quick ? LOAD_PROFILES.workerdQuick : LOAD_PROFILES.workerdFull);
    const mock = await startMockServer({ ...KEYS });
    const rounds = [];
    try {
      const start = (await rt[runtime].call("memory", {})).value;
      const startRss = runtime === "node" ? start.rss : workerdRss();
      for (let round = 0; round < profile.rounds; round++) {
        mock.reset();
        const faults = loadFaults(round, profile);
        for (const f of faults) mock.injectFault({ ...f.rule, match: (payload) => payloadHasPhone(payload, f.phone) });
        const rssBefore = runtime === "node" ? null : workerdRss();
        let problems;
        let res = null;
        try {
          const reply = await rt[runtime].call("load", { profile, round, baseUrl: mock.url, ...KEYS }, 300_000);
          res = reply.value;
          scanRaw(reply.raw, `${runtime} load round ${round}`);
          problems = loadProblems(res, profile, faults);
          const total = profile.calls * profile.perCall + profile.jobs * profile.perJob;
          // Every injected fault here processes the batch or is retried: the mock accepts every number exactly once.
          if (mock.accepted.length !== total) problems.push(`mock accepted ${mock.accepted.length} numbers of ${total}`);
          const dups = mock.duplicates();
          if (dups.length) problems.push(`mock received ${dups.length} number(s) twice`);
          if (mock.faults.length) problems.push(`${mock.faults.length} injected fault(s) never hit`);
          const reported = res.calls.accepted + res.jobs.reduce((n, j) => n + (j.totals?.accepted ?? 0), 0);
          const unknown = res.jobs.reduce((n, j) => n + (j.totals?.unknown ?? 0), 0) + res.calls.errors.length * profile.perCall;
          if (reported + unknown !== total) problems.push(`reported accepted ${reported} + unknown ${unknown} ≠ ${total}`);
          if (runtime === "workerd") {
            res.before.rss = rssBefore;
            res.after.rss = workerdRss();
          }
          rounds.push({ ...res, total, mockRequests: mock.requests.length });
          addRuntimeScan(res.leaks, `${runtime} load round ${round}`);
        } catch (error) {
          problems = [`failed: ${String(error?.message ?? error).split("\n")[0]}`];
        }
        record(`load: round ${round + 1} / ${runtime}`, problems);
        if (problems.length) log(`  ✗ ${runtime} load round ${round + 1}: ${problems.join("; ")}`);
      }
      // Memory: after the first round (warm), later rounds must not grow it.
      const memProblems = [];
      if (rounds.length === profile.rounds && rounds.length >= 2) {
        const first = rounds[0].after;
        const last = rounds.at(-1).after;
        if (last.wasm > first.wasm) memProblems.push(`wasm memory grew ${mb(first.wasm)} → ${mb(last.wasm)} after warm-up`);
        const rssLimit = 64 * 1024 * 1024;
        if (first.rss != null && last.rss != null && last.rss - first.rss > rssLimit) memProblems.push(`RSS grew ${mb(first.rss)} → ${mb(last.rss)} after warm-up (limit +${mb(rssLimit)})`);
      } else memProblems.push("not every round completed");
      record(`load: memory stable / ${runtime}`, memProblems);
      rows.push({ runtime, profile, rounds, start, startRss, memProblems });
    } finally {
      await mock.close();
    }
  }
  log("runtime  round  wall      calls ok   numbers  HTTP requests  numbers/s  RSS before → after      wasm before → after");
  for (const { runtime, profile, rounds } of rows) {
    for (const r of rounds) {
      const okCalls = `${r.calls.ok}/${r.calls.total}`;
      log(`${runtime.padEnd(9)}${String(r.round + 1).padEnd(7)}${`${(r.wallMs / 1000).toFixed(2)} s`.padEnd(10)}${okCalls.padEnd(11)}`
        + `${String(r.total).padEnd(9)}${String(r.mockRequests).padEnd(15)}${String(Math.round(r.total / (r.wallMs / 1000))).padEnd(11)}`
        + `${`${mb(r.before.rss)} → ${mb(r.after.rss)}`.padEnd(24)}${mb(r.before.wasm)} → ${mb(r.after.wasm)}`);
    }
    const p = profile;
    log(`  ${runtime}: per round ${p.calls} concurrent sendBatch × ${p.perCall} numbers + ${p.jobs} concurrent sendBulk × ${p.perJob} numbers `
      + `(concurrency ${p.jobConcurrency}); injected per round: HTTP 500, 429 ×2 (retried), reset after body, truncated JSON`);
  }
  for (const { runtime, rounds, start, startRss, memProblems } of rows) {
    if (!rounds.length) continue;
    const last = rounds.at(-1).after;
    log(`  ${runtime} memory: RSS ${mb(startRss)} at start → ${mb(rounds[0].after.rss)} after round 1 → ${mb(last.rss)} after round ${rounds.length}; `
      + `wasm ${mb(start.wasm)} → ${mb(rounds[0].after.wasm)} → ${mb(last.wasm)}: ${memProblems.length ? `✗ ${memProblems.join("; ")}` : "stable ✓"}`);
  }
}

// ---- main -----------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const watchdog = setTimeout(() => {
    log(`suite limit of ${SUITE_LIMIT_MS / 60000} min reached`);
    log(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  }, SUITE_LIMIT_MS);
  watchdog.unref();
  const builtAt = await prepare();
  const rt = await startRuntimes();
  try {
    const names = Object.keys(rt);
    log(`uspeedo-sms reliability suite (${quick ? "--quick" : "full"}); package built ${builtAt}`);
    for (const name of names) {
      const { value } = await rt[name].call("hello", KEYS);
      const st = value.selfTest;
      log(`  ${name}: ${value.runtime}, loads ${rt[name].loaded}`);
      record(`leak scanner self-test / ${name}`, [
        ...st.missed.map((where) => `the scanner missed a key planted in: ${where}`),
        ...(st.falseAlarm ? ["the scanner reports a key where there is none"] : []),
      ]);
      // The stdio capture must be live: a marker printed in the runtime must arrive here.
      const marker = `reliability-stdio-marker-${name}-${Date.now()}`;
      await rt[name].call("control", { marker });
      await new Promise((r) => setTimeout(r, 300));
      const seen = [...rt[name].stdio.out, ...rt[name].stdio.err].join("").split(marker).length - 1;
      record(`stdout/stderr capture works / ${name}`, seen >= 2 ? [] : [`marker seen ${seen} time(s) in the runtime's stdout/stderr, expected 2`]);
    }
    const consoleStart = {};
    for (const name of names) consoleStart[name] = (await rt[name].call("console", { privateKey: PRIVATE_KEY })).value.total;
    const stdioStart = Object.fromEntries(names.map((n) => [n, { out: rt[n].stdio.out.length, err: rt[n].stdio.err.length }]));

    if (parts.includes("matrix")) {
      log("\n== 1. fault matrix");
      const refusedUrl = `http://127.0.0.1:${await freePort()}/api`;
      log(`targets: mock on 127.0.0.1, refused ${refusedUrl}, DNS ${CONFIG.dnsUrl}; timeouts: client ${CONFIG.clientTimeoutMs} ms, `
        + `proxy upstream ${CONFIG.proxyUpstreamTimeoutMs} ms, maxRetries ${CONFIG.maxRetries}`);
      const passes = quick ? 1 : 2;
      for (let pass = 1; pass <= passes; pass++) {
        const t0 = Date.now();
        const cells = await runMatrix(rt, refusedUrl, passes > 1 ? pass : 0);
        if (passes > 1) log(`pass ${pass} of ${passes} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        if (pass === passes || [...cells.values()].some((c) => c.problems.length)) printMatrix(cells, names);
      }
      for (const [id, text] of Object.entries(BUGS)) log(`  ${id}: ${text}`);
    }
    if (parts.includes("abuse")) {
      log("\n== 3. proxy under abuse");
      await runAbuse(rt);
    }
    if (parts.includes("load")) {
      log("\n== 4. load");
      await runLoad(rt);
    }

    // ---- 2. secret leak: everything printed and captured, scanned last.
    log("\n== 2. secret leak scan");
    let consoleLines = 0;
    for (const name of names) {
      const { value, raw } = await rt[name].call("console", { privateKey: PRIVATE_KEY, since: consoleStart[name] });
      scanRaw(raw, `${name} console capture reply`);
      consoleLines += value.lines;
      addRuntimeScan({ hits: value.hits, hitCount: value.hitCount }, `${name} console`);
    }
    const stdioBytes = {};
    for (const name of names) {
      const out = rt[name].stdio.out.slice(stdioStart[name].out).join("");
      const err = rt[name].stdio.err.slice(stdioStart[name].err).join("");
      scanRaw(out, `${name} stdout`);
      scanRaw(err, `${name} stderr`);
      stdioBytes[name] = out.length + err.length;
    }
    log(`key: a recognisable ${PRIVATE_KEY.length}-character private key, searched as ${NEEDLES.map((n) => n.form).join(", ")}`);
    log(`scanned: ${leaks.objects} live objects (${mb(leaks.bytes)} of strings) in the runtimes: every thrown error (message, stack, `
      + "cause chain, own properties incl. non-enumerable and symbols, JSON.stringify, util.inspect in Node), every hook payload, every "
      + `returned result/report, the clients, every proxy response; ${consoleLines} console lines; stdout+stderr `
      + `${Object.entries(stdioBytes).map(([n, b]) => `${n} ${b} bytes`).join(", ")}; ${leaks.texts} replies (${mb(leaks.textBytes)})`);
    log(`leak-scan hits: ${leaks.hits.length}`);
    for (const hit of leaks.hits.slice(0, 10)) log(`  ✗ ${hit.where} (${hit.form}): ${hit.excerpt}`);
    record("secret leak scan: zero hits", leaks.hits.map((h) => `${h.where} (${h.form})`));
  } finally {
    for (const r of Object.values(rt)) await r.close();
  }
  log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failures.length) {
    log("failed:");
    for (const f of failures) log(`  ${f.name}: ${f.problems.slice(0, 3).join("; ")}`);
  }
  log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  log(`${passed} passed, ${failed + 1} failed`);
  process.exitCode = 1;
});

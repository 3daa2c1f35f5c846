// The benchmarks of uspeedo-sms, in one command:
//
//   node tests/bench/run.mjs [--quick] [--only size,prepare,bulk,startup,memory] [--no-profile]
//
// Measures the built package in pkg/dist (it builds nothing: build it first
// with `cd pkg && npm install && node build/build.mjs`), each figure against
// a baseline measured in the same run. Prints one table
// (figure | ours | baseline | ratio | target | met?) and writes the same rows,
// the machine and CPU profiles of missed speed targets to
// tests/output/bench/results.json.
//
// Benchmarks, not tests: a missed target is reported, never an exit code.
// The exit code is 1 only when a measurement could not run at all.
// Only 127.0.0.1 is contacted (the mock uSpeedo server, miniflare).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { exec, runModule } from "./lib/child.mjs";
import { BENCH_DIR, DIST, OUTPUT_DIR, ROOT, missingDistFiles } from "./lib/fixtures.mjs";
import { makeRow, printTable } from "./lib/rows.mjs";

const MINUTE = 60_000;
/** Each measurement module, and the most it may take before it is killed. */
const MODULES = [
  { name: "size", timeoutMs: 5 * MINUTE },
  { name: "prepare", timeoutMs: 15 * MINUTE },
  { name: "bulk", timeoutMs: 10 * MINUTE },
  { name: "startup", timeoutMs: 10 * MINUTE },
  { name: "memory", timeoutMs: 15 * MINUTE },
];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1]?.split(",") : null;
const profile = !args.includes("--no-profile");
const log = (message) => process.stderr.write(`${message}\n`);

function fail(message) {
  log(`bench: ${message}`);
  process.exit(2);
}

if (only && only.some((name) => !MODULES.some((m) => m.name === name))) fail(`--only takes ${MODULES.map((m) => m.name).join(",")}`);
const selected = MODULES.filter((m) => !only || only.includes(m.name));
const missing = missingDistFiles(selected.map((m) => m.name));
if (missing.length) {
  fail(`${DIST} is missing ${missing.join(", ")}.\nBuild the package first: cd pkg && npm install && node build/build.mjs`);
}

// Its own dependencies (esbuild, the SDKs compared with, miniflare), pinned by the lockfile.
if (!existsSync(join(BENCH_DIR, "node_modules", ".package-lock.json"))) {
  log("installing tests/bench dependencies (npm ci)...");
  const { code, stderr } = await exec("npm", ["ci", "--no-audit", "--no-fund"], { cwd: BENCH_DIR, timeoutMs: 10 * MINUTE });
  if (code !== 0) fail(`npm ci in tests/bench failed:\n${stderr}`);
}

function gitCommit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

function machine() {
  const wasm = join(DIST, "uspeedo_sms_bg.wasm");
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    commit: gitCommit(),
    // Which build was measured: pkg/dist is rebuilt by others as they work.
    dist: { path: DIST, wasmSha256: createHash("sha256").update(readFileSync(wasm)).digest("hex").slice(0, 16), builtAt: statSync(wasm).mtime.toISOString() },
  };
}

const info = machine();
log(`uspeedo-sms benchmarks${quick ? " (quick)" : ""}: ${info.cpu}, ${info.cores} cores, Node ${info.node}, load ${info.loadAverageAtStart.join(" ")}`);
if (info.loadAverageAtStart[0] > info.cores) log(`warning: the machine is busy (load ${info.loadAverageAtStart[0]} on ${info.cores} cores); timings will be noisy`);

const rows = [];
const errors = [];
const started = performance.now();
for (const { name, timeoutMs } of selected) {
  log(`\n[${name}]`);
  const moduleStarted = performance.now();
  try {
    const result = await runModule(join(BENCH_DIR, `${name}.mjs`), { quick, timeoutMs });
    rows.push(...result.rows);
    log(`  done in ${((performance.now() - moduleStarted) / 1000).toFixed(1)} s`);
  } catch (error) {
    log(`  FAILED: ${error.message}`);
    errors.push({ module: name, message: error.message });
    rows.push(makeRow({ id: `${name}.error`, figure: `${name}: could not be measured (see errors in results.json)`, unit: "ms", ours: null }));
  }
}

// What dominates each missed speed target: the same workload under --cpu-prof.
const profiles = {};
if (profile) {
  const { WORKLOAD_OF_ROW, profileWorkload } = await import("./profile.mjs");
  const wanted = [...new Set(rows.filter((r) => r.met === false && WORKLOAD_OF_ROW[r.id]).map((r) => WORKLOAD_OF_ROW[r.id]))];
  for (const workload of wanted) {
    log(`\n[profile] ${workload} under node --cpu-prof`);
    try {
      profiles[workload] = await profileWorkload(workload);
    } catch (error) {
      errors.push({ module: `profile ${workload}`, message: error.message });
    }
  }
}

info.loadAverageAtEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
info.durationSeconds = Math.round((performance.now() - started) / 1000);
mkdirSync(OUTPUT_DIR, { recursive: true });
const outFile = join(OUTPUT_DIR, "results.json");
const command = `node tests/bench/run.mjs${args.length ? ` ${args.join(" ")}` : ""}`;
writeFileSync(outFile, `${JSON.stringify({ command, quick, machine: info, rows, profiles, errors }, null, 2)}\n`);

console.log(`\nuspeedo-sms benchmarks — ${info.cpu}, ${info.cores} cores, Node ${info.node}, ${info.date}${quick ? " (quick)" : ""}\n`);
printTable(rows);
const met = rows.filter((r) => r.met === true).length;
const missed = rows.filter((r) => r.met === false);
console.log(`\ntargets: ${met} met, ${missed.length} missed${missed.length ? ` (${missed.map((r) => r.id).join(", ")})` : ""}`);
if (Object.keys(profiles).length) {
  const { describeProfile } = await import("./profile.mjs");
  console.log("\nwhere the time goes in the missed speed targets (node --cpu-prof, self time):");
  for (const p of Object.values(profiles)) console.log(`- ${describeProfile(p)}`);
}
console.log(`\nwritten: ${outFile}`);
process.exit(errors.length ? 1 : 0);

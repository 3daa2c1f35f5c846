// 1. Size: raw, gzip and brotli of the .wasm and of each runtime entry with
// its glue; the packed tarball and what `npm install` of it puts on disk.
// Compared with what a user would otherwise ship for one send: esbuild-
// minified bundles of one send with @aws-sdk/client-sns and with twilio,
// and a hand-written fetch call (the floor); and with the installed size of
// those SDKs with all their dependencies.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { exec, progress, runAsChild } from "./lib/child.mjs";
import { BENCH_DIR, DIST, PKG_DIR } from "./lib/fixtures.mjs";
import { formatValue, makeRow } from "./lib/rows.mjs";

const BROWSER_TARGET_GZIP = 40 * 1024;
const SERVER_WASM = "uspeedo_sms_bg.wasm";
const BROWSER_WASM = "uspeedo_sms_browser_bg.wasm";

export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const describe = (s) => `${formatValue(s.gzip, "B")} gz (${formatValue(s.raw, "B")} raw, ${formatValue(s.brotli, "B")} br)`;

/** Bytes and files under `dir`, not descending into nested node_modules (those are packages of their own). */
function treeSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = treeSize(path);
      bytes += sub.bytes;
      files += sub.files;
    } else if (entry.isFile()) {
      bytes += statSync(path).size;
      files += 1;
    }
  }
  return { bytes, files };
}

/** Node's lookup: node_modules/<name> in `from` or any parent. */
function resolvePackageDir(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

/** Installed size of a package and every package it depends on, as npm laid them out here. */
function installedClosure(name) {
  const seen = new Set();
  const pending = [resolvePackageDir(name, BENCH_DIR)];
  let bytes = 0;
  let files = 0;
  while (pending.length) {
    const dir = pending.pop();
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const size = treeSize(dir);
    bytes += size.bytes;
    files += size.files;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      pending.push(resolvePackageDir(dep, dir)); // optional ones not installed resolve to null
    }
  }
  return { bytes, files, packages: seen.size };
}

// One send, as a user would write it with each option.
const SEND_SOURCES = {
  "ours-node": `import { Client } from "uspeedo-sms";
export const send = (request) => Client.fromEnv().sendBatch(request);`,
  "ours-browser": `import { Client } from "uspeedo-sms";
export const send = (request) => new Client({ proxyUrl: "/sms" }).sendBatch(request);`,
  aws: `import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
export const send = (to, text) => new SNSClient({}).send(new PublishCommand({ PhoneNumber: to, Message: text }));`,
  twilio: `import twilio from "twilio";
export const send = (to, text) => twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN)
  .messages.create({ to, from: process.env.TWILIO_FROM, body: text });`,
  // The floor on a server: uSpeedo's signature and one fetch, no checks at all.
  "fetch-node": `import { createHash, randomUUID } from "node:crypto";
const enc = (v) => v == null ? "" : Array.isArray(v) ? v.map(enc).join("")
  : typeof v === "object" ? Object.keys(v).sort().map((k) => v[k] == null ? "" : k + enc(v[k])).join("") : String(v);
export async function send(request) {
  const payload = { Action: "SendBatchUSMSMessage", ...request };
  const response = await fetch("https://api.uspeedo.com/api?Action=SendBatchUSMSMessage", {
    method: "POST", body: JSON.stringify(payload),
    headers: { "Content-Type": "application/json", "X-Access-Key-Id": process.env.USPEEDO_PUBLIC_KEY,
      "X-Signature": createHash("sha1").update(enc(payload) + process.env.USPEEDO_PRIVATE_KEY).digest("hex"),
      "X-Timestamp": String(Math.floor(Date.now() / 1000)), "X-Nonce": randomUUID().replaceAll("-", "") },
  });
  return response.json();
}`,
  // The floor in a page: post the batch to the signing proxy.
  "fetch-browser": `export async function send(request) {
  const response = await fetch("/sms", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request) });
  return response.json();
}`,
};

/** esbuild-minified bundle of one SEND_SOURCES entry; sizes of the output (plus `wasm`, the asset it loads). */
async function bundle(projectDir, name, platform, wasm = null) {
  const entry = join(projectDir, `${name}-${platform}.mjs`);
  writeFileSync(entry, SEND_SOURCES[name]);
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, minify: true, format: "esm", platform, target: "es2022",
    write: false, legalComments: "none", logLevel: "silent", absWorkingDir: projectDir,
    nodePaths: [join(projectDir, "node_modules"), join(BENCH_DIR, "node_modules")],
  });
  const js = sizes(Buffer.from(result.outputFiles[0].contents));
  return wasm ? { js, wasm: sizes(readFileSync(join(DIST, wasm))), total: add(js, sizes(readFileSync(join(DIST, wasm)))) } : { js, total: js };
}

/** `npm pack` of pkg/ and `npm install` of the tarball into an empty project (offline: it has no dependencies). */
async function packAndInstall(projectDir) {
  const packed = await exec("npm", ["pack", "--json", "--pack-destination", projectDir], { cwd: PKG_DIR, timeoutMs: 120_000 });
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")));
  const tarball = join(projectDir, info.filename);
  writeFileSync(join(projectDir, "package.json"), JSON.stringify({ name: "size-probe", private: true }));
  const installed = await exec("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", tarball], { cwd: projectDir, timeoutMs: 120_000 });
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
  return { tarballBytes: statSync(tarball).size, ...treeSize(join(projectDir, "node_modules", "uspeedo-sms")) };
}

export async function measure() {
  const rows = [];
  const wasm = { server: sizes(readFileSync(join(DIST, SERVER_WASM))), browser: sizes(readFileSync(join(DIST, BROWSER_WASM))) };
  rows.push(makeRow({ id: "size.wasm.server", figure: `size: ${SERVER_WASM} (Node, Workers)`, unit: "B", ours: wasm.server.gzip, oursText: describe(wasm.server), details: wasm.server }));
  rows.push(makeRow({ id: "size.wasm.browser", figure: `size: ${BROWSER_WASM} (no signing)`, unit: "B", ours: wasm.browser.gzip, oursText: describe(wasm.browser), details: wasm.browser }));

  const projectDir = mkdtempSync(join(tmpdir(), "uspeedo-bench-size-"));
  try {
    progress("size: npm pack + npm install of the tarball, esbuild bundles of one send");
    mkdirSync(join(projectDir, "node_modules"), { recursive: true });
    const install = await packAndInstall(projectDir);
    const b = {
      oursNode: await bundle(projectDir, "ours-node", "node", SERVER_WASM),
      oursBrowser: await bundle(projectDir, "ours-browser", "browser", BROWSER_WASM),
      awsNode: await bundle(projectDir, "aws", "node"),
      awsBrowser: await bundle(projectDir, "aws", "browser"),
      twilio: await bundle(projectDir, "twilio", "node"),
      fetchNode: await bundle(projectDir, "fetch-node", "node"),
      fetchBrowser: await bundle(projectDir, "fetch-browser", "browser"),
    };
    const gz = (x) => x.total.gzip;

    for (const [entry, file] of [["node.mjs", SERVER_WASM], ["node.cjs", SERVER_WASM], ["workerd.mjs", SERVER_WASM], ["browser.mjs", BROWSER_WASM]]) {
      const js = sizes(readFileSync(join(DIST, entry)));
      const total = add(js, file === SERVER_WASM ? wasm.server : wasm.browser);
      const browser = entry === "browser.mjs";
      rows.push(makeRow({
        id: `size.entry.${entry}`, figure: `size: ${entry} + .wasm${browser ? " (the browser entry)" : ""}`, unit: "B",
        ours: total.gzip, oursText: describe(total), details: { js, total },
        ...(browser ? { baseline: gz(b.awsBrowser), baselineName: "@aws-sdk/client-sns browser bundle", target: { maxValue: BROWSER_TARGET_GZIP } } : {}),
      }));
    }
    const send = (id, figure, ours, base, name) => rows.push(makeRow({
      id, figure, unit: "B", ours: gz(ours), oursText: describe(ours.total), baseline: gz(base), baselineName: name,
      baselineText: describe(base.total), details: { ours, baseline: base },
    }));
    send("size.send.node.aws", "one send, Node: minified bundle + .wasm", b.oursNode, b.awsNode, "@aws-sdk/client-sns");
    send("size.send.node.twilio", "  same, vs twilio", b.oursNode, b.twilio, "twilio");
    send("size.send.node.fetch", "  same, vs hand-written signed fetch (floor)", b.oursNode, b.fetchNode, "fetch");
    send("size.send.browser.aws", "one send, browser (via proxy): bundle + .wasm", b.oursBrowser, b.awsBrowser, "@aws-sdk/client-sns");
    send("size.send.browser.fetch", "  same, vs hand-written fetch to the proxy (floor)", b.oursBrowser, b.fetchBrowser, "fetch");

    const aws = installedClosure("@aws-sdk/client-sns");
    const twilio = installedClosure("twilio");
    rows.push(makeRow({ id: "size.tarball", figure: "size: packed tarball (npm pack)", unit: "B", ours: install.tarballBytes }));
    const installedRow = (id, figure, other, name) => rows.push(makeRow({
      id, figure, unit: "B", ours: install.bytes, oursText: `${formatValue(install.bytes, "B")} (${install.files} files, 1 package)`,
      baseline: other.bytes, baselineName: name, baselineText: `${formatValue(other.bytes, "B")} (${other.files} files, ${other.packages} packages)`,
      details: { ours: install, baseline: other },
    }));
    installedRow("size.installed.aws", "size: installed (npm install of the tarball)", aws, "@aws-sdk/client-sns");
    installedRow("size.installed.twilio", "  same, vs twilio", twilio, "twilio");
  } finally {
    rmSync(projectDir, { recursive: true, force: true });
  }
  return { rows };
}

await runAsChild(measure);

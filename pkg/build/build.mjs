// Builds the npm package into pkg/dist: one cargo build for
// wasm32-unknown-unknown, wasm-bindgen (web target, whose glue serves every
// runtime), wasm-opt -Oz, then one small bundle per runtime (and, for
// bundlers that do not follow `new URL(…, import.meta.url)`, the browser
// build with its wasm inlined and one that waits for init({ wasm })), the
// types and a size report.
//
//   node pkg/build/build.mjs              release build
//   node pkg/build/build.mjs --test-hook  also a build with the panic hook, for tests
//   node pkg/build/build.mjs --check-size fail when the browser entry is over budget (CI)

import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { printSizeReport, sizeReport } from "./size-report.mjs";
import { guardGlue } from "./guard-glue.mjs";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(pkgDir, "..");
const finalDist = join(pkgDir, "dist");
// Built beside, then swapped in: a test reading dist/ never sees it half-built.
const dist = join(pkgDir, `dist.building-${process.pid}`);
const generated = join(pkgDir, `generated.building-${process.pid}`);
const WASM = "uspeedo_sms_bg.wasm";
/** Campaigns' server build (uspeedo-sms/cloudflare, uspeedo-sms/campaign): the main one plus the campaign core. */
const CAMPAIGN_WASM = "uspeedo_sms_campaign_bg.wasm";
/** The browser build: no signing code (a private key has no place in a page). */
const BROWSER_WASM = "uspeedo_sms_browser_bg.wasm";
/**
 * The ceiling CI holds the browser entry to: the measured size plus a
 * little, not a target. The design card's stack measured 88.4 KB gzip with
 * the typed serde boundary (issue 10) and 106.5 KB once the crate sends
 * through fetch itself (gloo-net request, js-sys fetch, web-sys timers and
 * streams, wasm-bindgen-futures; issue 11): +18 KB, as the stack's
 * prototype measured; 111.9 KB with the transport's rules at their edges
 * (a stop raced against fetch and body, redirects, URL checks, failure
 * matching, the proxy's account rule; issues 15 and 16); 116.1 KB with
 * receipts, templates and checkTemplates on servers (issue 12); 141.5 KB
 * once pages read them too, through the proxy (getReceipts, getTemplates,
 * loadTemplates, checkTemplates, trackDelivery: +25.4 KB, of which the read
 * loop, receipt and template parsing and delivery tracking are most; the
 * attempt's I/O made non-generic saved 1.1 KB of it); 148.9 KB with the
 * operator's suppression list and cost estimate (issue 14: +7.4 KB, the
 * estimate's per-country map and its serde output most); 151.4 KB with
 * receipts matched to entries through one sort of indices (+0.7 KB; the
 * same with two BTreeMaps measured +5.7 KB); 152.3 KB after the speed and
 * memory work of issues 10 and 11; 153.3 KB with each chunk's accepted
 * entries handed to JS while later chunks are in flight (+0.8 KB; a
 * 100,000-number sendBulk to the loopback mock 506-524 -> 474-484 ms) and
 * the trap guard for async calls (+0.2 KB); 155.6 KB with wasm memory given
 * back once the package has been idle a second (issue 11's RSS target:
 * +0.4 KB JS for the idle timer and instance replacement, +1.9 KB wasm for
 * carrying the learnt template book across as flat string parts; a serde
 * Deserialize derive for the same measured +5.8 KB); 156.3 KB with a bulk
 * report's accepted entries laid out in JS from runs of rows instead of
 * JSON.parse of objects (+0.8 KB: the rows' serializer and their layout;
 * issue 11's per-chunk target); 157.0 KB with all four buckets laid out so,
 * the path put together in JS, and a plan's keys read without a String each
 * (+0.6 KB; the cost estimate's trees keyed by borrowed strings instead
 * measured +4 KB and were not kept). The per-crate breakdown is in the
 * README's Size section.
 */
const BROWSER_BUDGET_GZIP = 158 * 1024;

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: "inherit", cwd: root, ...options });
}

/**
 * cargo build + wasm-bindgen + wasm-opt; returns the optimised .wasm path.
 *
 * Size matters most, so the standard library is rebuilt with
 * `panic = immediate-abort` (needs the rust-src component; stable rustc
 * accepts the flags with RUSTC_BOOTSTRAP=1, pinned to this toolchain):
 * measured -7 KB gzip, mostly panic formatting. A panic then traps, which
 * the JS side already turns into an INTERNAL error and a fresh instance.
 * Without rust-src the ordinary build is used and the size report says so.
 */
function buildWasm({ features = [], defaultFeatures = true, outDir, name, speed = false }) {
  const buildStd = hasRustSrc();
  const targetDir = join(root, "target", `${buildStd ? "wasm-build-std" : "wasm"}${speed ? "-o3" : ""}`);
  const cargoArgs = ["build", "--release", "--target", "wasm32-unknown-unknown", "--lib", "--target-dir", targetDir];
  if (!defaultFeatures) cargoArgs.push("--no-default-features");
  if (features.length) cargoArgs.push("--features", features.join(","));
  const env = { ...process.env };
  // The server build (Node, Workers) is optimised for speed: measured 2.6x
  // faster preparation than opt-level z for +17 KB gzip, and only the
  // browser entry has a size budget (tests/bench, issue 6).
  if (speed) env.CARGO_PROFILE_RELEASE_OPT_LEVEL = "3";
  if (buildStd) {
    cargoArgs.push("-Z", "build-std=std,panic_abort");
    env.RUSTC_BOOTSTRAP = "1";
    env.RUSTFLAGS = "-Zunstable-options -Cpanic=immediate-abort";
  } else {
    console.warn("warning: rust-src is not installed; building without build-std (larger wasm)");
  }
  run("cargo", cargoArgs, { env });
  rmSync(outDir, { recursive: true, force: true });
  run("wasm-bindgen", [
    "--target", "web", "--omit-default-module-path", "--experimental-reset-state-function",
    "--remove-name-section", "--remove-producers-section",
    "--out-dir", outDir, "--out-name", name,
    join(targetDir, "wasm32-unknown-unknown", "release", "uspeedo_sms.wasm"),
  ]);
  guardGlue(join(outDir, `${name}.js`));
  const wasmOpt = join(pkgDir, "node_modules", ".bin", "wasm-opt");
  const enable = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
  // --flatten --rereloop before -Oz measured another -0.6 KB gzip.
  const passes = speed ? ["-O3"] : ["--flatten", "--rereloop", "-Oz", "-Oz", "--converge"];
  run(wasmOpt, [...passes, "--strip-debug", "--strip-producers",
    ...enable.map((f) => `--enable-${f}`), join(outDir, `${name}_bg.wasm`), "-o", join(outDir, `${name}_bg.wasm`)]);
  return join(outDir, `${name}_bg.wasm`);
}

function hasRustSrc() {
  try {
    const sysroot = execFileSync("rustc", ["--print", "sysroot"], { encoding: "utf8" }).trim();
    return existsSync(join(sysroot, "lib", "rustlib", "src", "rust", "library", "std"));
  } catch {
    return false;
  }
}

const ENTRIES = [
  { source: "node.mjs", out: "node.mjs", format: "esm", platform: "node" },
  { source: "node.cjs.mjs", out: "node.cjs", format: "cjs", platform: "node" },
  { source: "workerd.mjs", out: "workerd.mjs", format: "esm", platform: "neutral" },
  { source: "browser.mjs", out: "browser.mjs", format: "esm", platform: "browser", minify: true, browser: true },
  // The browser build with its .wasm inside (uspeedo-sms/inline).
  { source: "inline.mjs", out: "inline.mjs", format: "esm", platform: "browser", minify: true, browser: true, inline: true },
  // The browser build that waits for init({ wasm }) (uspeedo-sms/init).
  { source: "init.mjs", out: "init.mjs", format: "esm", platform: "browser", minify: true, browser: true },
  // Campaigns (issue 13): their own server wasm; `cloudflare:workers` is the runtime's.
  { source: "cloudflare.mjs", out: "cloudflare.mjs", format: "esm", platform: "neutral", campaign: true },
  { source: "campaign.node.mjs", out: "campaign.mjs", format: "esm", platform: "node", campaign: true },
];

async function bundle(entry, outDir) {
  await esbuild.build({
    plugins: [
      entry.browser
        ? redirectGlue(join(generated, "browser"), "uspeedo_sms_browser.js")
        : entry.campaign
          ? redirectGlue(join(generated, "campaign"), "uspeedo_sms_campaign.js")
          : redirectGlue(generated, "uspeedo_sms.js"),
      ...(entry.inline ? [inlineWasm(join(generated, "browser", BROWSER_WASM))] : []),
    ],
    entryPoints: [join(pkgDir, "src", "entries", entry.source)],
    outfile: join(outDir, entry.out),
    bundle: true,
    format: entry.format,
    platform: entry.platform,
    target: "es2022",
    external: entry.inline ? ["node:*"] : [`./${WASM}`, `./${BROWSER_WASM}`, `./${CAMPAIGN_WASM}`, "node:*", "cloudflare:workers"],
    // The inline entry's import of the .wasm becomes its bytes (base64 in the file).
    loader: entry.inline ? { ".wasm": "binary" } : {},
    minify: Boolean(entry.minify),
    keepNames: !entry.minify,
    legalComments: "none",
    logLevel: "warning",
  });
}

function copyTypes() {
  const wire = readFileSync(join(pkgDir, "types", "wire.d.ts"), "utf8");
  const index = readFileSync(join(pkgDir, "types", "index.d.ts"), "utf8");
  writeFileSync(join(dist, "wire.d.ts"), wire);
  writeFileSync(join(dist, "wire.d.cts"), wire);
  writeFileSync(join(dist, "index.d.ts"), index);
  copyFileSync(join(pkgDir, "types", "init.d.ts"), join(dist, "init.d.ts"));
  // The CommonJS types must import the CommonJS-flavoured declarations.
  writeFileSync(join(dist, "index.d.cts"), index.replaceAll('"./wire.js"', '"./wire.cjs"'));
  copyFileSync(join(pkgDir, "types", "campaign.d.ts"), join(dist, "campaign.d.ts"));
  copyFileSync(join(pkgDir, "types", "cloudflare.d.ts"), join(dist, "cloudflare.d.ts"));
}

async function main() {
  const testHook = process.argv.includes("--test-hook");
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const wasm = buildWasm({ outDir: generated, name: "uspeedo_sms", speed: true, defaultFeatures: false, features: ["signing"] });
  copyFileSync(wasm, join(dist, WASM));
  const campaignWasm = buildWasm({ outDir: join(generated, "campaign"), name: "uspeedo_sms_campaign", speed: true });
  copyFileSync(campaignWasm, join(dist, CAMPAIGN_WASM));
  const browserWasm = buildWasm({ outDir: join(generated, "browser"), name: "uspeedo_sms_browser", defaultFeatures: false });
  copyFileSync(browserWasm, join(dist, BROWSER_WASM));
  for (const entry of ENTRIES) await bundle(entry, dist);
  copyTypes();
  copyFileSync(join(root, "README.md"), join(pkgDir, "README.md"));

  rmSync(finalDist, { recursive: true, force: true });
  renameSync(dist, finalDist);
  // Keep one copy of the glue where the sources import it (editors, tests).
  rmSync(join(pkgDir, "generated"), { recursive: true, force: true });
  renameSync(generated, join(pkgDir, "generated"));
  const wasmOf = (e) => (e.inline ? null : e.browser ? BROWSER_WASM : e.campaign ? CAMPAIGN_WASM : WASM);
  const report = sizeReport(finalDist, ENTRIES.map((e) => ({ entry: e.out, wasm: wasmOf(e) })));
  writeFileSync(join(finalDist, "size-report.json"), JSON.stringify(report, null, 2) + "\n");
  printSizeReport(report, BROWSER_BUDGET_GZIP);

  if (testHook) {
    // Same sources, plus the forcePanic export, for the panic-safety test.
    const testDir = join(root, "tests", "output", "panic-build");
    const hookGenerated = join(testDir, "generated");
    const hookWasm = buildWasm({ features: ["panic-hook-test"], outDir: hookGenerated, name: "uspeedo_sms" });
    mkdirSync(join(testDir, "dist"), { recursive: true });
    copyFileSync(hookWasm, join(testDir, "dist", WASM));
    await esbuild.build({
      entryPoints: [join(pkgDir, "src", "entries", "node-panic-test.mjs")],
      outfile: join(testDir, "dist", "node.mjs"),
      bundle: true, format: "esm", platform: "node", external: [`./${WASM}`, "node:*"], logLevel: "warning",
      plugins: [redirectGlue(hookGenerated, "uspeedo_sms.js")],
    });
    console.log(`test build with the panic hook: ${testDir}/dist/node.mjs`);
  }
  const browserGzip = report.entries.find((e) => e.entry === "browser.mjs").withWasm.gzip;
  if (process.argv.includes("--check-size") && browserGzip > BROWSER_BUDGET_GZIP) {
    console.error(`size budget exceeded: browser entry ${browserGzip} B gzip > ${BROWSER_BUDGET_GZIP} B`);
    process.exit(1);
  }
}

/** esbuild plugin: the inline entry's `.wasm` import is the built browser wasm. */
function inlineWasm(file) {
  return {
    name: "inline-wasm",
    setup(build) {
      build.onResolve({ filter: /_bg\.wasm$/ }, () => ({ path: file }));
    },
  };
}

/** esbuild plugin: resolves the glue import to another wasm-bindgen output. */
function redirectGlue(dir, file) {
  return {
    name: "redirect-glue",
    setup(build) {
      build.onResolve({ filter: /generated\/uspeedo_sms\.js$/ }, () => ({ path: join(dir, file) }));
      // The glue imports pkg/src modules the Rust core calls (raw_module
      // "../src/errors.js", "../src/input.js"), wherever it was written.
      build.onResolve({ filter: /^\.\.\/src\/[a-z-]+\.js$/ }, (args) => ({ path: join(pkgDir, "src", args.path.slice("../src/".length)) }));
    },
  };
}

await main();

// Type and packaging checks on the packed tarball, as a user installs it:
// tsc --strict with module nodenext (ESM and CJS consumers), attw, publint.
// Prints one line per check and "N passed, N failed".

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..", "..", "pkg");
const bin = (name) => join(here, "node_modules", ".bin", name);

function run(command, args, cwd = here) {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const packDir = mkdtempSync(join(tmpdir(), "uspeedo-pack-"));
run("npm", ["pack", "--pack-destination", packDir], pkgDir);
const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz")));
run("npm", ["install", "--no-save", "--no-audit", "--no-fund", tarball]);

const tsc = ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node",
  "--target", "es2022", "--skipLibCheck", "false"];
// Real outputs of every public function, against the published types.
const outputsFile = join(here, "outputs.generated.mts");
const checks = [
  ["outputs of every function match their .d.ts (tsc --strict --exactOptionalPropertyTypes)", () => {
    run("node", [join(here, "outputs.mjs"), outputsFile]);
    return run(bin("tsc"), [...tsc, "--exactOptionalPropertyTypes", outputsFile]);
  }],
  ["tsc --strict (ESM consumer.mts)", () => run(bin("tsc"), [...tsc, "consumer.mts"])],
  ["tsc --strict (CJS consumer.cts)", () => run(bin("tsc"), [...tsc, "consumer.cts"])],
  ["tsc --strict (campaign subpaths, campaign.mts)", () => run(bin("tsc"), [...tsc, "campaign.mts"])],
  ["tsc --strict (uspeedo-sms/mock, mock.mts)", () => run(bin("tsc"), [...tsc, "mock.mts"])],
  // Left out of attw: uspeedo-sms/init is browser ESM only (its types are
  // compiled in consumer.mts), uspeedo-sms/browser.wasm is a file, not a module;
  // the campaign subpaths and the mock are checked on their own below.
  ["attw --pack", () => run(bin("attw"), ["--pack", pkgDir, "--format", "table-flipped",
    "--exclude-entrypoints", "./init", "./browser.wasm", "./cloudflare", "./campaign", "./mock"])],
  // Campaigns and the mock are ES modules only (Workers, and Node's import): no CJS, no node10.
  ["attw --pack (campaign subpaths and the mock, ESM only)", () =>
    run(bin("attw"), ["--pack", pkgDir, "--format", "table-flipped", "--profile", "esm-only", "--entrypoints", "./cloudflare", "./campaign", "./mock"])],
  ["publint", () => run(bin("publint"), ["--strict", pkgDir])],
];

let passed = 0;
let failed = 0;
for (const [name, check] of checks) {
  try {
    check();
    passed++;
    console.log(`ok    ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL  ${name}\n${error.stdout ?? ""}${error.stderr ?? error.message}`);
  }
}
rmSync(packDir, { recursive: true, force: true });
rmSync(outputsFile, { force: true });
console.log(`types: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// Bundles worker.mjs as wrangler would and runs it in miniflare (workerd),
// capturing workerd's own stdout and stderr for the leak scan.
// miniflare is pinned to 4.20260426.0 (the last that runs on Node 20); its
// workerd reaches 127.0.0.1 directly, so the Worker talks to the mock.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withLimit } from "../fixtures.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..", "..", "..", "pkg");

/** Resolves `uspeedo-sms` the way a Workers bundler does: the `workerd` export condition. */
function packagePlugin() {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const entry = join(pkgDir, manifest.exports["."].workerd.default);
  return {
    name: "uspeedo-sms-from-pkg",
    setup(build) {
      build.onResolve({ filter: /^uspeedo-sms$/ }, () => ({ path: entry }));
    },
  };
}

export async function startWorker({ opLimitMs = 120_000 } = {}) {
  const out = join(here, "dist");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const esbuild = await import("esbuild");
  const built = await esbuild.build({
    entryPoints: [join(here, "worker.mjs")], outfile: join(out, "worker.mjs"), bundle: true, format: "esm",
    platform: "neutral", conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"],
    external: ["*.wasm"], metafile: true, logLevel: "error", plugins: [packagePlugin()],
  });
  const entry = Object.keys(built.metafile.inputs).find((f) => f.includes("pkg/dist/"));
  for (const file of readdirSync(join(pkgDir, "dist"))) {
    if (file === "uspeedo_sms_bg.wasm") copyFileSync(join(pkgDir, "dist", file), join(out, file));
  }
  const stdio = { out: [], err: [] };
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true, scriptPath: join(out, "worker.mjs"), modulesRoot: out,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2024-09-23",
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => stdio.out.push(String(d)));
      stderr.on("data", (d) => stdio.err.push(String(d)));
    },
  });
  await withLimit(mf.ready, 60_000, "miniflare start");

  async function call(op, spec, limitMs = opLimitMs) {
    const response = await withLimit(
      mf.dispatchFetch("http://worker.test/op", { method: "POST", body: JSON.stringify({ op, spec }) }),
      limitMs, `workerd ${op}`,
    );
    const text = await withLimit(response.text(), limitMs, `workerd ${op} body`);
    let reply;
    try {
      reply = JSON.parse(text);
    } catch {
      throw new Error(`workerd ${op}: HTTP ${response.status}: ${text.slice(0, 500)}`);
    }
    if (!reply.ok) throw new Error(`workerd ${op}: ${reply.error}`);
    return { value: reply.value, raw: text };
  }

  return {
    name: "workerd",
    loaded: entry?.replace(/^.*?pkg\//, "pkg/"),
    stdio,
    call,
    dispatch: (url, init) => mf.dispatchFetch(url, init),
    async close() {
      await withLimit(mf.dispose(), 30_000, "miniflare dispose").catch(() => {});
    },
  };
}

// Bundles worker.mjs as wrangler would (uspeedo-sms/cloudflare from pkg/dist,
// the .wasm as a CompiledWasm module) and runs it in miniflare with a real
// Queue (producer and consumer) and the ledger Durable Object, against the
// mock uSpeedo API on 127.0.0.1.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { startMockServer } from "../../pkg/mock/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..", "..", "pkg");
export const KEYS = { publicKey: "campaign-public", privateKey: "campaign-private-9f3c1e77d2" };

function packagePlugin() {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const entry = join(pkgDir, manifest.exports["./cloudflare"].workerd.default);
  return {
    name: "uspeedo-sms-from-pkg",
    setup(build) {
      build.onResolve({ filter: /^uspeedo-sms\/cloudflare$/ }, () => ({ path: entry }));
    },
  };
}

/** A guard against a hang, not an assertion on speed. */
export function withLimit(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** `mockOptions`: for the mock (`undeliverable`, `receiptDelayMs`, ...). */
export async function startHarness(mockOptions = {}) {
  // One directory per test process: node --test runs the files at once.
  const out = join(here, "dist", String(process.pid));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, "worker.mjs")], outfile: join(out, "worker.mjs"), bundle: true, format: "esm",
    platform: "neutral", conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"],
    external: ["*.wasm", "cloudflare:workers"], logLevel: "error", plugins: [packagePlugin()],
  });
  // uspeedo-sms/cloudflare has its own wasm (with the campaign core); the main entry's too, if imported.
  for (const file of ["uspeedo_sms_campaign_bg.wasm", "uspeedo_sms_bg.wasm"]) copyFileSync(join(pkgDir, "dist", file), join(out, file));
  const mock = await startMockServer({ ...KEYS, ...mockOptions });
  const mf = new Miniflare({
    modules: true, scriptPath: join(out, "worker.mjs"), modulesRoot: out,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2024-09-23",
    bindings: { PUBLIC_KEY: KEYS.publicKey, PRIVATE_KEY: KEYS.privateKey, BASE_URL: mock.url },
    durableObjects: { LEDGER: { className: "Ledger", useSQLite: true } },
    queueProducers: { QUEUE: { queueName: "campaign" } },
    queueConsumers: { campaign: { maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries: 10, retryDelay: 0 } },
  });
  await withLimit(mf.ready, 60_000, "miniflare start");

  async function call(op, spec = {}) {
    const response = await withLimit(
      mf.dispatchFetch("http://worker.test/op", { method: "POST", body: JSON.stringify({ op, spec }) }),
      300_000, `worker ${op}`,
    );
    const reply = JSON.parse(await response.text());
    if (!reply.ok) throw new Error(`worker ${op}: ${reply.error}`);
    return reply.value;
  }

  /** Polls the ledger until no chunk waits for a message or a consumer. */
  async function settled(jobId, limitMs = 120_000) {
    const until = Date.now() + limitMs;
    for (;;) {
      const progress = await call("progress", { jobId });
      if (progress.complete) return call("report", { jobId });
      if (Date.now() > until) throw new Error(`job ${jobId} not settled: ${JSON.stringify(progress)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    mock, call, settled,
    async close() {
      await withLimit(mf.dispose(), 30_000, "miniflare dispose").catch(() => {});
      await mock.close();
      rmSync(out, { recursive: true, force: true });
    },
  };
}

/** `n` numbers over `templates` templates, each number unique. */
export function campaignRequest(n, { templates = 3, paramLength = 6 } = {}) {
  const per = Math.ceil(n / templates);
  const tasks = [];
  for (let t = 0; t < templates && t * per < n; t++) {
    const count = Math.min(per, n - t * per);
    tasks.push({
      TemplateId: `UTCAMP${t}`,
      Target: Array.from({ length: count }, (_, j) => ({
        Phone: `(1)415${String(t * per + j).padStart(7, "0")}`,
        TemplateParams: ["p".repeat(paramLength)],
      })),
    });
  }
  return { TaskContent: tasks };
}

/** Every input line (by path) in exactly one of sendBulk's six lists. */
export function linesOf(report) {
  const seen = new Map();
  for (const list of ["accepted", "failed", "unknown", "notAttempted", "suppressed", "duplicates"]) {
    for (const entry of report[list]) {
      if (seen.has(entry.path)) throw new Error(`${entry.path} is in ${seen.get(entry.path)} and ${list}`);
      seen.set(entry.path, list);
    }
  }
  return seen;
}

/** Every number in exactly one bucket, and the buckets add up to the input. */
export function bucketsOf(report) {
  const seen = new Map();
  for (const bucket of ["accepted", "failed", "unknown", "notAttempted"]) {
    for (const entry of report[bucket]) {
      const key = `${entry.TemplateId}|${entry.Phone}`;
      if (seen.has(key)) throw new Error(`${key} is in ${seen.get(key)} and ${bucket}`);
      seen.set(key, bucket);
    }
  }
  return seen;
}

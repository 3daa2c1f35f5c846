// The Node runtime under test: a child process (forked by run.mjs with an IPC
// channel) that loads the built package (pkg/dist/node.mjs, the `node` +
// `import` export) and runs what the parent asks, one message per job:
//   { id, op, spec } -> { id, ok, value | error }
// The parent owns the mock servers and pipes this process's real stdout and
// stderr, so everything it prints is scanned for the private key as well.
import { inspect } from "node:util";
import * as sms from "../../pkg/dist/node.mjs";
import { runCase } from "./surfaces.mjs";
import { captureConsole, deepScan, needles, scanText, selfTest } from "./leak-scan.mjs";
import { runAbuseCase, runAbuseConcurrent, abuseProxy } from "./proxy-abuse.mjs";
import { runLoadRound } from "./load.mjs";

const capture = captureConsole();
const render = (value) => inspect(value, { showHidden: true, depth: 20, getters: false });
const proxies = new Map();

function memory() {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, wasm: sms.wasmMemoryBytes() };
}

const ops = {
  hello: ({ privateKey }) => ({
    runtime: `node ${process.version}`, pid: process.pid, gc: typeof globalThis.gc === "function",
    selfTest: selfTest(needles(privateKey), privateKey, render),
  }),
  case: (spec) => runCase(sms, spec, { inspect: render }),
  /** Proves the stdio capture is live: prints a marker the parent must see (not the key). */
  control: ({ marker }) => {
    console.log(marker);
    process.stderr.write(`${marker}\n`);
    return { printed: true };
  },
  /** Everything this process printed through console/stdout/stderr so far, scanned here. */
  console: ({ privateKey, since = 0 }) => {
    const lines = capture.lines.slice(since);
    const hits = lines.flatMap((line, i) => scanText(line, needles(privateKey), `console line ${since + i}`));
    return { lines: lines.length, total: capture.lines.length, hitCount: hits.length, hits: hits.slice(0, 5) };
  },
  abuseSetup: (spec) => {
    proxies.set(spec.name, abuseProxy(sms, spec));
    return { ok: true };
  },
  abuse: async ({ name, caseId, privateKey }) => {
    const { handler, artifacts } = proxies.get(name);
    const list = needles(privateKey);
    const out = await runAbuseCase(handler, caseId, (url, init) => new Request(url, init), list);
    const scan = deepScan({ out, artifacts }, list, { inspect: render });
    out.leak.hitCount += scan.hits.length;
    out.leak.hits.push(...scan.hits.slice(0, 3));
    out.leak.visited += scan.visited;
    out.leak.bytes += scan.bytes;
    return out;
  },
  abuseConcurrent: async ({ name, count, mixed }) => {
    const { handler } = proxies.get(name);
    return runAbuseConcurrent(handler, { count, mixed }, (url, init) => new Request(url, init));
  },
  pollution: () => ({ polluted: ({}).polluted !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, "polluted") }),
  load: (spec) => runLoadRound(sms, spec, { memory, inspect: render }),
  memory: () => memory(),
};

process.on("message", async (message) => {
  const { id, op, spec } = message;
  try {
    const value = await ops[op](spec ?? {});
    process.send({ id, ok: true, value });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true });

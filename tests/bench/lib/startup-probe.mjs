// Run by startup.mjs in a fresh Node process: `node startup-probe.mjs VARIANT`.
// Prints one JSON line of in-process timings (ms). The parent also times the
// whole process from spawn to exit.
//   empty        imports an empty module (the baseline process)
//   ours         imports the package and instantiates the wasm
//   ours-first   ... then the first and second prepare of 1,000 numbers
//   plain-first  imports the plain-JS baseline, then its first and second prepare
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const variant = process.argv[2];
const bootMs = performance.now(); // since the process's time origin
const out = { variant, bootMs };
const time = async (name, fn) => {
  const start = performance.now();
  const value = await fn();
  out[name] = performance.now() - start;
  return value;
};

if (variant === "empty") {
  await time("importMs", () => import("./empty.mjs"));
} else if (variant.startsWith("ours")) {
  // As lib/fixtures.mjs resolves it, without importing it: the process must
  // load nothing but the package beyond what the empty variant loads.
  const dist = process.env.USPEEDO_BENCH_DIST ? pathToFileURL(`${resolve(process.env.USPEEDO_BENCH_DIST)}/`) : new URL("../../../pkg/dist/", import.meta.url);
  const entry = new URL("node.mjs", dist).href;
  const sms = await time("importMs", () => import(entry));
  await time("instantiateMs", () => sms.wasmMemoryBytes());
  if (variant === "ours-first") {
    const { KEYS, UNUSED_BASE_URL, makeRequest } = await import("./fixtures.mjs");
    const request = makeRequest(1000);
    const client = new sms.Client({ ...KEYS, baseUrl: UNUSED_BASE_URL });
    await time("firstPrepareMs", () => client.prepare(request));
    await time("secondPrepareMs", () => client.prepare(request));
  }
} else if (variant === "plain-first") {
  const plainJs = await time("importMs", () => import("../baseline-plain-js.mjs"));
  const { KEYS, UNUSED_BASE_URL, makeRequest } = await import("./fixtures.mjs");
  const request = makeRequest(1000);
  const client = plainJs.createPlainClient({ ...KEYS, baseUrl: UNUSED_BASE_URL });
  await time("firstPrepareMs", () => client.prepare(request));
  await time("secondPrepareMs", () => client.prepare(request));
} else {
  throw new Error(`unknown variant ${variant}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);

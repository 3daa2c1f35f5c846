// What every measurement shares: where things are, the key pair, the input
// requests and the canned uSpeedo answer. Inputs are built the same way for
// the package and for the baselines, so both do the same work.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = join(BENCH_DIR, "..", "..");
export const PKG_DIR = join(ROOT, "pkg");
/**
 * The build under test: pkg/dist, or USPEEDO_BENCH_DIST to measure another
 * build the same way (e.g. one made with a different opt-level, or one that
 * keeps the wasm name section so profiles show Rust function names).
 */
export const DIST = process.env.USPEEDO_BENCH_DIST ? resolve(process.env.USPEEDO_BENCH_DIST) : join(PKG_DIR, "dist");
export const OUTPUT_DIR = join(ROOT, "tests", "output", "bench");
export const MOCK_SERVER = join(ROOT, "pkg", "mock", "server.mjs");

/** The built files each measurement needs; run.mjs refuses to start without them. */
const NEEDS = {
  size: ["node.mjs", "node.cjs", "workerd.mjs", "browser.mjs", "uspeedo_sms_bg.wasm", "uspeedo_sms_browser_bg.wasm"],
  startup: ["node.mjs", "workerd.mjs", "uspeedo_sms_bg.wasm"],
  default: ["node.mjs", "uspeedo_sms_bg.wasm"],
};

export function missingDistFiles(modules) {
  const files = new Set(modules.flatMap((name) => NEEDS[name] ?? NEEDS.default));
  return [...files].filter((file) => !existsSync(join(DIST, file)));
}

/** The package's Node entry from the build under test. */
export function importPackage() {
  return import(pathToFileURL(join(DIST, "node.mjs")).href);
}

export const KEYS = { publicKey: "pk_bench_0001", privateKey: "sk_bench_7f3a9c0d5e21b4a8" };
/** Nothing listens there: preparing never connects. */
export const UNUSED_BASE_URL = "http://127.0.0.1:9/api";

export const ONE_REQUEST = 1_000;
export const BULK_TARGETS = 100_000;
/** Targets per task: 100,000 numbers come as 10 tasks (templates), 1,000 as 2. */
const TASK_SIZE = { [ONE_REQUEST]: 500, [BULK_TARGETS]: 10_000 };

const pad = (n, width) => String(n).padStart(width, "0");

/**
 * The i-th phone number, in one of five spellings users actually type
 * (spaces, brackets, 00 prefix, dashes), so normalisation has real work.
 * All distinct: no duplicate warnings skew either side.
 */
export function phoneAt(i) {
  switch (i % 5) {
    case 0: return `+86 139 ${pad(i, 8).slice(0, 4)} ${pad(i, 8).slice(4)}`;
    case 1: return `(852)5${pad(i, 7)}`;
    case 2: return `0044 7911 ${pad(i, 6)}`;
    case 3: return `+1 (415) ${pad(i, 7).slice(0, 3)}-${pad(i, 7).slice(3)}`;
    default: return `+55 21 ${pad(i, 8)}`;
  }
}

/** A plain JS request of `count` numbers, as a caller would hand it in. */
export function makeRequest(count) {
  const perTask = TASK_SIZE[count] ?? Math.min(count, 1000);
  const TaskContent = [];
  for (let start = 0; start < count; start += perTask) {
    const n = Math.min(perTask, count - start);
    TaskContent.push({
      TemplateId: `UTA2233108MUY${pad(TaskContent.length, 3)}`,
      SenderId: "uSpeedo",
      Target: Array.from({ length: n }, (_, k) => ({
        Phone: phoneAt(start + k),
        TemplateParams: [pad((start + k) % 1_000_000, 6), "nickname"],
      })),
    });
  }
  return { TaskContent };
}

/** Numbers in a request body, read from the body itself (cheap: no parse). */
export function countTargetsInBody(body) {
  let count = 0;
  for (let at = body.indexOf('"Phone":'); at !== -1; at = body.indexOf('"Phone":', at + 8)) count++;
  return count;
}

/**
 * A `fetch` that answers every send at once with RetCode 0 for all its
 * numbers: takes the network out, so only the client's CPU cost remains.
 */
export async function cannedFetch(url, init) {
  const SuccessCount = countTargetsInBody(init.body);
  return new Response(JSON.stringify({ RetCode: 0, Action: "SendBatchUSMSMessageResponse", Message: "submit success", SessionNo: "s", SuccessCount, FailContent: [] }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
}

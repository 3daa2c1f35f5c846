// Load: in one round, `calls` concurrent sendBatch calls and `jobs`
// concurrent sendBulk jobs, all at once, against the mock. Faults are
// injected on chosen numbers (loadFaults below); every other call and chunk
// must succeed. Every number is accounted for (per job: each input path in
// exactly one bucket), and the mock never accepts a number twice. Memory
// (RSS where the runtime has it, and the wasm instance's linear memory) is
// measured before and after each round.
//
// Shared by every runtime (no Node built-ins): the runtime calls
// runLoadRound; run.mjs (Node) owns the mock, injects the faults and checks.
import { batch, describeError, phone } from "./fixtures.mjs";
import { deepScan, needles } from "./leak-scan.mjs";

export const LOAD_PROFILES = {
  quick: { rounds: 3, calls: 200, perCall: 10, jobs: 10, perJob: 5000, jobConcurrency: 4, timeoutMs: 15_000 },
  full: { rounds: 5, calls: 200, perCall: 10, jobs: 10, perJob: 20_000, jobConcurrency: 4, timeoutMs: 15_000 },
  workerdQuick: { rounds: 2, calls: 200, perCall: 10, jobs: 10, perJob: 2000, jobConcurrency: 4, timeoutMs: 15_000 },
  workerdFull: { rounds: 3, calls: 200, perCall: 10, jobs: 10, perJob: 5000, jobConcurrency: 4, timeoutMs: 15_000 },
};

const ROUND_STRIDE = 10_000_000;
const JOB_STRIDE = 1_000_000;

export const callOffset = (round, i, p) => round * ROUND_STRIDE + i * p.perCall;
export const jobOffset = (round, j) => round * ROUND_STRIDE + JOB_STRIDE * (j + 1);

/**
 * The faults of a round and what they must cause. Each is matched by a
 * phone, so it hits exactly one call or one chunk:
 *   call 17: HTTP 500 after processing   -> HTTP/unknown (not retried)
 *   call 42: 429 Retry-After: 0, once    -> retried, succeeds
 *   call 99: reset after processing      -> NETWORK/unknown (not retried)
 *   job 3, its chunk with number 2500: truncated JSON -> that chunk BAD_RESPONSE/unknown
 *   job 7, its chunk with number 1500: 429 once -> retried, accepted
 */
export function loadFaults(round, p) {
  const c = (i) => phone(callOffset(round, i, p));
  const j = (job, k) => phone(jobOffset(round, job) + Math.min(k, p.perJob - 1));
  return [
    { phone: c(17), rule: { kind: "status500", processed: true }, expect: { call: 17, code: "HTTP", delivery: "unknown" } },
    { phone: c(42), rule: { kind: "status429", retryAfter: 0 }, expect: null },
    { phone: c(99), rule: { kind: "resetAfterBody" }, expect: { call: 99, code: "NETWORK", delivery: "unknown" } },
    { phone: j(3, 2500), rule: { kind: "truncatedJson" }, expect: { job: 3, code: "BAD_RESPONSE", delivery: "unknown" } },
    { phone: j(7, 1500), rule: { kind: "status429" }, expect: null },
  ];
}

/** Runs one round inside the runtime. env.memory() -> { rss?, wasm, ... }. */
export async function runLoadRound(sms, spec, env) {
  const p = spec.profile;
  const round = spec.round;
  const client = new sms.Client({
    publicKey: spec.publicKey, privateKey: spec.privateKey, baseUrl: spec.baseUrl,
    timeoutMs: p.timeoutMs, maxRetries: 2,
  });
  const thrown = []; // every error and stop reason, deep-scanned for the key below
  const before = env.memory();
  const started = Date.now();
  const calls = Array.from({ length: p.calls }, async (_, i) => {
    try {
      const r = await client.sendBatch(batch(p.perCall, { offset: callOffset(round, i, p) }));
      return { i, ok: true, success: r.SuccessCount, failed: r.failed.length };
    } catch (error) {
      thrown.push(error);
      return { i, ok: false, error: describeError(error) };
    }
  });
  const jobs = Array.from({ length: p.jobs }, async (_, j) => {
    const request = batch(p.perJob, { templates: 2, offset: jobOffset(round, j) });
    try {
      const report = await client.sendBulk(request, { concurrency: p.jobConcurrency });
      thrown.push(report.stoppedBy, report.chunks.filter((c) => c.error), report.totals);
      return { j, ...accountFor(report, request) };
    } catch (error) {
      thrown.push(error);
      return { j, thrown: describeError(error) };
    }
  });
  const [callResults, jobResults] = await Promise.all([Promise.all(calls), Promise.all(jobs)]);
  const wallMs = Date.now() - started;
  const after = env.memory();
  const scan = deepScan({ thrown, client, settings: client.toJSON() }, needles(spec.privateKey), { inspect: env.inspect });
  return {
    round, wallMs, before, after,
    leaks: { hits: scan.hits.slice(0, 5), hitCount: scan.hits.length, visited: scan.visited, bytes: scan.bytes },
    calls: {
      total: callResults.length,
      ok: callResults.filter((c) => c.ok).length,
      accepted: callResults.reduce((n, c) => n + (c.success ?? 0), 0),
      errors: callResults.filter((c) => !c.ok).map((c) => ({ i: c.i, code: c.error.code, delivery: c.error.delivery, message: c.error.message })),
    },
    jobs: jobResults,
    requests: { sendBatch: p.calls, chunks: p.jobs * Math.ceil(p.perJob / 1000) },
  };
}

/** Per job: every input path in exactly one bucket, totals consistent, and the error chunks. */
function accountFor(report, request) {
  const problems = [];
  const seen = new Map();
  for (const bucket of ["accepted", "failed", "unknown", "notAttempted"]) {
    if (report[bucket].length !== report.totals[bucket]) problems.push(`${bucket}: ${report[bucket].length} entries, totals say ${report.totals[bucket]}`);
    for (const e of report[bucket]) {
      if (seen.has(e.path)) problems.push(`${e.path} in ${seen.get(e.path)} and ${bucket}`);
      seen.set(e.path, bucket);
    }
  }
  let inputs = 0;
  request.TaskContent.forEach((t, ti) => t.Target.forEach((_, i) => {
    inputs++;
    if (!seen.has(`TaskContent[${ti}].Target[${i}]`)) problems.push(`TaskContent[${ti}].Target[${i}] in no bucket`);
  }));
  if (seen.size !== inputs) problems.push(`${seen.size} paths accounted for, ${inputs} sent`);
  return {
    totals: report.totals,
    stoppedBy: report.stoppedBy?.code ?? null,
    errorChunks: report.chunks.filter((c) => c.error).map((c) => ({ index: c.index, code: c.error.code, delivery: c.error.delivery, targets: c.targets })),
    problems: problems.slice(0, 5),
  };
}

/** What is wrong with a round (run.mjs adds the mock's side). */
export function loadProblems(result, p, faults) {
  const problems = [];
  const expectedCallErrors = faults.filter((f) => f.expect?.call !== undefined).map((f) => f.expect);
  const got = result.calls.errors.map((e) => `${e.i}:${e.code}/${e.delivery}`).sort();
  const want = expectedCallErrors.map((e) => `${e.call}:${e.code}/${e.delivery}`).sort();
  if (got.join() !== want.join()) problems.push(`sendBatch errors [${got}] expected [${want}] ${JSON.stringify(result.calls.errors.slice(0, 3))}`);
  for (const job of result.jobs) {
    if (job.thrown) {
      problems.push(`job ${job.j} threw ${job.thrown.code}: ${job.thrown.message}`);
      continue;
    }
    problems.push(...job.problems.map((x) => `job ${job.j}: ${x}`));
    const fault = faults.find((f) => f.expect?.job === job.j);
    const want = fault ? [`${fault.expect.code}/${fault.expect.delivery}`] : [];
    const gotChunks = job.errorChunks.map((c) => `${c.code}/${c.delivery}`);
    if (gotChunks.join() !== want.join()) problems.push(`job ${job.j}: error chunks [${gotChunks}] expected [${want}]`);
    const unknown = fault ? job.errorChunks.reduce((n, c) => n + c.targets, 0) : 0;
    const t = job.totals;
    if (t.accepted !== p.perJob - unknown || t.unknown !== unknown || t.failed !== 0 || t.notAttempted !== 0) {
      problems.push(`job ${job.j}: totals ${JSON.stringify(t)}`);
    }
    if (job.stoppedBy) problems.push(`job ${job.j}: stopped by ${job.stoppedBy}`);
  }
  return problems;
}

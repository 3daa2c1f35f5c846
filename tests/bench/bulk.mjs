// 3. Bulk throughput: sendBulk of 100,000 numbers to the loopback mock with
// concurrency 8, against a raw fetch loop posting the same pre-built,
// pre-signed bodies with the same concurrency (the floor: only HTTP and the
// mock's own work remain). The plain-JS client's sendBulk is timed too, to
// tell the package's cost from what any client must do.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createPlainClient } from "./baseline-plain-js.mjs";
import { progress, runAsChild } from "./lib/child.mjs";
import { BENCH_DIR, BULK_TARGETS, KEYS, importPackage, makeRequest } from "./lib/fixtures.mjs";
import { timingRow } from "./lib/rows.mjs";
import { compare } from "./lib/stats.mjs";

const sms = await importPackage();

const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 30_000;

/** Starts lib/mock-child.mjs; resolves to { url, ask(message), close() }. */
export async function startMockProcess() {
  const child = fork(join(BENCH_DIR, "lib", "mock-child.mjs"), [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const replies = [];
  let waiting = null;
  child.on("message", (m) => (waiting ? (waiting(m), (waiting = null)) : replies.push(m)));
  const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((resolve) => (waiting = resolve)));
  const { url } = await next();
  return {
    url,
    ask: (message) => (child.send(message), next()),
    close: () => new Promise((resolve) => (child.once("exit", resolve), child.send("close"))),
  };
}

/** Posts `requests` with `concurrency` in flight; every answer is read and checked. */
export async function rawLoop(requests, concurrency) {
  let next = 0;
  let accepted = 0;
  const worker = async () => {
    while (next < requests.length) {
      const { url, headers, body, targets } = requests[next++];
      const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const answer = JSON.parse(await response.text());
      if (answer.RetCode !== 0 || answer.SuccessCount !== targets) throw new Error(`raw loop: ${JSON.stringify(answer).slice(0, 200)}`);
      accepted += answer.SuccessCount;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return accepted;
}

export async function measure({ quick }) {
  const { warmup, iterations } = quick ? { warmup: 1, iterations: 2 } : { warmup: 1, iterations: 9 };
  const request = makeRequest(BULK_TARGETS);
  const mock = await startMockProcess();
  try {
    const ours = new sms.Client({ ...KEYS, baseUrl: mock.url });
    const plain = createPlainClient({ ...KEYS, baseUrl: mock.url });
    // The raw loop's bodies are built and signed once, before any timing;
    // only the nonce (not signed) is renewed per run, as the mock refuses replays.
    const plan = plain.planBulk(request);
    const signed = plan.chunks.map((chunk, index) => ({ ...plain.prepareChunk(plan, index), targets: chunk.length }));
    const freshNonces = () => signed.map((r) => ({ ...r, headers: { ...r.headers, "X-Nonce": randomBytes(16).toString("hex") } }));
    let rawRequests = freshNonces();

    // Each case must get every number accepted by the mock, and nothing
    // twice. Checked after the clock stops: asking the mock takes 100-180 ms,
    // which, timed, was added to both sides of the ratio.
    const expectAllAccepted = async (what) => {
      const { counts } = await mock.ask("counts");
      if (counts.accepted !== BULK_TARGETS || counts.failedRequests || counts.duplicates) {
        throw new Error(`${what}: the mock accepted ${counts.accepted} numbers (${counts.failedRequests} requests failed, ${counts.duplicates} duplicates)`);
      }
      await mock.ask("reset");
    };
    const cases = {
      ours: {
        run: () => ours.sendBulk(request, { concurrency: CONCURRENCY }),
        check: async (report) => {
          if (report.totals.accepted !== BULK_TARGETS) throw new Error(`sendBulk: ${JSON.stringify(report.totals)} ${JSON.stringify(report.stoppedBy)}`);
          await expectAllAccepted("sendBulk");
        },
      },
      raw: {
        run: () => {
          const requests = rawRequests;
          rawRequests = freshNonces();
          return rawLoop(requests, CONCURRENCY);
        },
        check: () => expectAllAccepted("raw fetch loop"),
      },
      plain: {
        run: () => plain.sendBulk(request, { concurrency: CONCURRENCY }),
        check: async (report) => {
          if (report.totals.accepted !== BULK_TARGETS) throw new Error(`plain sendBulk: ${JSON.stringify(report.totals)}`);
          await expectAllAccepted("plain-JS sendBulk");
        },
      },
    };
    progress(`bulk to the mock: ${BULK_TARGETS} numbers, concurrency ${CONCURRENCY}, ${warmup} warm-up + ${iterations} measured runs each`);
    const t = await compare(cases, { warmup, iterations, gcFirst: true });
    // The same job on a fresh instance: the first job of a process, and any
    // job after the package gave its memory back (ten idle seconds). Timed
    // on its own, after the others: a replaced instance also makes the JS
    // glue re-warm, which would be billed to the warm runs next to it.
    const fresh = await compare({
      oursFresh: {
        run: () => (sms.releaseMemory(), ours.sendBulk(request, { concurrency: CONCURRENCY })),
        check: async (report) => {
          if (report.totals.accepted !== BULK_TARGETS) throw new Error(`sendBulk (fresh): ${JSON.stringify(report.totals)}`);
          await expectAllAccepted("sendBulk on a fresh instance");
        },
      },
      raw: cases.raw,
    }, { warmup: 0, iterations, gcFirst: true });
    const figure = `sendBulk ${BULK_TARGETS.toLocaleString("en")} numbers → loopback mock, concurrency ${CONCURRENCY}`;
    return {
      rows: [
        timingRow({ id: "bulk.vs-raw-fetch", figure, ours: t.ours, baseline: t.raw, baselineName: "raw fetch loop", target: { maxRatio: 1.1 } }),
        timingRow({ id: "bulk.fresh-vs-raw-fetch", figure: "  same, each run on a fresh instance (memory given back first)", ours: fresh.oursFresh, baseline: fresh.raw, baselineName: "raw fetch loop" }),
        timingRow({ id: "bulk.vs-plain", figure: "  same, vs the plain-JS client's sendBulk", ours: t.ours, baseline: t.plain, baselineName: "plain JS" }),
      ],
    };
  } finally {
    await mock.close();
  }
}

await runAsChild(measure);

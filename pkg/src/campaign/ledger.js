// The ledger contract (create, addChunks, claim, record, cancel, progress,
// report) over any store of strings. Each step reads a chunk's state and the
// job's meta, lets Rust decide, and writes both back: the store must make
// that one atomic step (a Durable Object does; here steps are also run one
// at a time, so a plain Map is enough in one process).

import { steps } from "./core.js";

const pad = (index) => String(index).padStart(8, "0");
const stateKey = (index) => `state:${pad(index)}`;
const chunkKey = (index) => `chunk:${pad(index)}`;

export class Ledger {
  #store;
  #chain = Promise.resolve();

  /**
   * `store`: `get(key)`, `put(entries)` (an object of key → string, written
   * all or nothing), `list(prefix)` (values in key order); each may return
   * a promise.
   */
  constructor(store) {
    this.#store = store;
  }

  #atomic(step) {
    const run = this.#chain.then(step);
    this.#chain = run.catch(() => {});
    return run;
  }

  async #meta() {
    const meta = await this.#store.get("meta");
    if (meta === undefined) throw new Error("uspeedo-sms campaign: this ledger has no job");
    return meta;
  }

  /** The job's meta, from `planCampaign(...).meta`. A second create is ignored. */
  create(meta) {
    return this.#atomic(async () => {
      if ((await this.#store.get("meta")) === undefined) await this.#store.put({ meta });
    });
  }

  /** Chunks from `planCampaign(...).chunks`, any number per call (a chunk already there is kept). */
  addChunks(chunks) {
    return this.#atomic(async () => {
      for (let i = 0; i < chunks.length; i += 64) {
        const entries = {};
        for (const c of chunks.slice(i, i + 64)) {
          if ((await this.#store.get(stateKey(c.index))) !== undefined) continue;
          entries[chunkKey(c.index)] = c.chunk;
          entries[stateKey(c.index)] = c.state;
        }
        await this.#store.put(entries);
      }
    });
  }

  /** `{ action: "send", token, waitMs, chunk }` or `{ action: "skip", reason }`. */
  claim(index, key) {
    return this.#atomic(async () => {
      const state = await this.#store.get(stateKey(index));
      if (state === undefined) return { action: "skip", reason: `this job has no chunk ${index}: not sent` };
      const step = steps.claim(await this.#meta(), state, String(key), Date.now());
      await this.#store.put({ meta: step.meta, [stateKey(index)]: step.state });
      if (step.answer.action !== "send") return step.answer;
      return { ...step.answer, chunk: await this.#store.get(chunkKey(index)) };
    });
  }

  /** `{ action: "ack" }`, or `{ action: "retry", delayMs }` when nothing was sent and the queue should try again. */
  record(index, token, outcome) {
    return this.#atomic(async () => {
      const state = await this.#store.get(stateKey(index));
      if (state === undefined) return { action: "ack" };
      const step = steps.record(await this.#meta(), state, token, outcome);
      await this.#store.put({ meta: step.meta, [stateKey(index)]: step.state });
      return step.answer;
    });
  }

  /** Chunks not yet claimed are skipped (`notAttempted`) when their message comes. */
  cancel() {
    return this.#atomic(async () => {
      await this.#store.put({ meta: steps.cancel(await this.#meta()) });
    });
  }

  progress() {
    return this.#atomic(async () => steps.progress(await this.#meta(), await this.#store.list("state:")));
  }

  /** sendBulk's report plus `jobId`, `complete`, `cancelled`. */
  report() {
    return this.#atomic(async () =>
      steps.report(await this.#meta(), await this.#store.list("chunk:"), await this.#store.list("state:")));
  }
}

/** A ledger in this process's memory (tests, scripts, one Node process). */
export class MemoryLedger extends Ledger {
  constructor() {
    const map = new Map();
    super({
      get: (key) => map.get(key),
      put: (entries) => {
        for (const [k, v] of Object.entries(entries)) map.set(k, v);
      },
      list: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)).sort().map((k) => map.get(k)),
    });
  }
}

// The ledger contract (create, addDropped, addChunks, claim, record,
// cancel, progress, report, and for delivery receipts trackDelivery and
// delivery) over any store of strings. Each step reads a chunk's state and
// the job's meta, lets Rust decide, and writes both back: the store must
// make that one atomic step (a Durable Object does; here steps are also run
// one at a time, so a plain Map is enough in one process).

import { steps } from "./core.js";

const pad = (index) => String(index).padStart(8, "0");
const stateKey = (index) => `state:${pad(index)}`;
const chunkKey = (index) => `chunk:${pad(index)}`;
const droppedKey = (index) => `dropped:${pad(index)}`;
const deliveryKey = (index) => `delivery:${pad(index)}`;
// Entries per `put`: a Durable Object writes at most 128 keys in one call.
const PUT_GROUP = 64;

export class Ledger {
  #store;
  #schedule;
  #chain = Promise.resolve();
  /** Rounds of receipts in flight: while one is, the job is still tracking. */
  #asking = 0;

  /**
   * `store`: `get(key)`, `put(entries)` (an object of key → string, written
   * all or nothing), `list(prefix)` (values in key order); each may return
   * a promise. `schedule(ms)`: called when a chunk recorded with a session
   * should have its receipts asked for in `ms` (the Durable Object arms its
   * alarm); without it, call `trackDelivery` yourself.
   */
  constructor(store, { schedule } = {}) {
    this.#store = store;
    this.#schedule = schedule;
  }

  async #putAll(entries) {
    for (let i = 0; i < entries.length; i += PUT_GROUP) {
      await this.#store.put(Object.fromEntries(entries.slice(i, i + PUT_GROUP)));
    }
  }

  /** The stored lists a step reads, each in key order; those not named are empty. */
  async #lists(names = ["chunk", "state", "dropped", "delivery"]) {
    const read = (name) => (names.includes(name) ? this.#store.list(`${name}:`) : []);
    return { chunks: await read("chunk"), states: await read("state"), dropped: await read("dropped"), deliveries: await read("delivery") };
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

  /**
   * The suppressed targets and repeats, from `planCampaign(...).dropped`
   * (`[{ index, text }]`), before `create`. A job already created keeps its own.
   */
  addDropped(parts) {
    return this.#atomic(async () => {
      if ((await this.#store.get("meta")) === undefined) await this.#putAll(parts.map((p) => [droppedKey(p.index), p.text]));
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
      if (step.trackInMs != null) await this.#schedule?.(step.trackInMs);
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

  /** sendBulk's report plus `jobId`, `complete`, `cancelled` (and `delivery` totals with `trackDelivery`). */
  report() {
    return this.#atomic(async () =>
      steps.report(await this.#meta(), await this.#lists(), await this.#store.get("tracking"), this.#asking > 0));
  }

  /** trackDelivery's report of the job's numbers, plus `jobId`, `tracking`, `rounds`, `lastError`. */
  delivery() {
    return this.#atomic(async () =>
      steps.delivery(await this.#meta(), await this.#lists(), await this.#store.get("tracking"), this.#asking > 0));
  }

  /**
   * One round of delivery receipts for the job's sessions (campaigns started
   * with `trackDelivery`), signed with `clientOptions`: resolves to
   * `{ nextInMs }`, when to ask again, or null when there is nothing more to
   * ask for. The ledger is read, then the receipts asked for outside its
   * steps (claims and records go on meanwhile), then the statuses written;
   * run one round at a time.
   */
  async trackDelivery(clientOptions) {
    this.#asking += 1;
    try {
      return await this.#round(clientOptions);
    } finally {
      this.#asking -= 1;
    }
  }

  async #round(clientOptions) {
    const input = await this.#atomic(async () => {
      const meta = await this.#meta();
      const { states, deliveries } = await this.#lists(["state", "delivery"]);
      const chunks = [];
      for (const index of steps.trackWanted(meta, states, deliveries)) chunks.push(await this.#store.get(chunkKey(index)));
      return { meta, states, deliveries, chunks, status: await this.#store.get("tracking") };
    });
    const { meta, states, chunks, deliveries, status } = input;
    const out = await steps.track(clientOptions, meta, states, chunks, deliveries, status);
    await this.#atomic(async () => {
      await this.#putAll(out.records.map((r) => [deliveryKey(r.index), r.text]));
      await this.#store.put({ tracking: out.status });
    });
    return { nextInMs: out.nextInMs ?? null };
  }
}

/** A ledger in this process's memory (tests, scripts, one Node process); `options` as `Ledger`'s. */
export class MemoryLedger extends Ledger {
  constructor(options) {
    const map = new Map();
    super({
      get: (key) => map.get(key),
      put: (entries) => {
        for (const [k, v] of Object.entries(entries)) map.set(k, v);
      },
      list: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)).sort().map((k) => map.get(k)),
    }, options);
  }
}

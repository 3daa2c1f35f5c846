// Cloudflare: the producer (plan, ledger, enqueue), the queue consumer and
// the ledger Durable Object. Client options come from the Worker's env
// (USPEEDO_* variables) unless given.

import { DurableObject } from "cloudflare:workers";
import { optionsFromEnv } from "../client.js";
import { campaignSender, planCampaign } from "./core.js";
import { Ledger } from "./ledger.js";
import { createJobRecords, runChunk } from "./run.js";

const ledgerOf = (namespace, jobId) => namespace.get(namespace.idFromName(jobId));

/**
 * Plans `request`, writes the job's ledger, enqueues one message per chunk
 * (`sendBatch`, 100 per call) and returns `{ jobId, targets, sent,
 * duplicatesDropped, suppressed, chunkCount }`.
 */
export async function startCampaign({ queue, ledger, client, env, request, options = {}, jobId }) {
  const planned = planCampaign(client ?? optionsFromEnv(env), request, options, jobId ?? crypto.randomUUID());
  const messages = await createJobRecords(ledgerOf(ledger, planned.jobId), planned);
  for (let i = 0; i < messages.length; i += 100) {
    await queue.sendBatch(messages.slice(i, i + 100).map((body) => ({ body, contentType: "json" })));
  }
  const { targets, sent, duplicatesDropped, suppressed, chunkCount } = planned;
  return { jobId: planned.jobId, targets, sent, duplicatesDropped, suppressed, chunkCount };
}

/** The job's ledger stub, for `progress()`, `report()`, `delivery()` and `cancel()`. */
export function campaignLedger(namespace, jobId) {
  return ledgerOf(namespace, jobId);
}

/**
 * A `queue(batch, env)` handler. Each message in its own try: one failure
 * retries that message only. `ledger`: the Durable Object binding's name;
 * `client(env)`: client options; `sender(env)`: to wrap the sender.
 */
export function queueConsumer({ ledger = "CAMPAIGN_LEDGER", client = optionsFromEnv, sender } = {}) {
  return async (batch, env) => {
    const send = sender ? sender(env) : campaignSender(client(env));
    for (const message of batch.messages) {
      try {
        const answer = await runChunk({ ledger: ledgerOf(env[ledger], message.body.jobId), sender: send }, message.body);
        if (answer.action === "retry") message.retry({ delaySeconds: Math.max(0, Math.ceil(answer.delayMs / 1000)) });
        else message.ack();
      } catch {
        // Claimed and not recorded: the redelivery settles it as unknown,
        // never sends it again. Not claimed: the redelivery sends it.
        message.retry();
      }
    }
  };
}

/**
 * The job's ledger: one Durable Object per job (binding it in wrangler.toml
 * is up to you). With `trackDelivery`, its alarm asks for the receipts of
 * the sessions recorded, signed with `CampaignLedger.clientOptions(env)`
 * (the USPEEDO_* variables of the Worker's env; a subclass may override
 * it: static, so no RPC call can read the keys).
 */
export class CampaignLedger extends DurableObject {
  #ledger;

  constructor(ctx, env) {
    super(ctx, env);
    const storage = ctx.storage;
    this.#ledger = new Ledger(
      {
        get: (key) => storage.get(key),
        put: (entries) => storage.put(entries),
        list: async (prefix) => [...(await storage.list({ prefix })).values()],
      },
      {
        // A set alarm is kept: a round asks for every session recorded by then.
        schedule: async (ms) => {
          if ((await storage.getAlarm()) === null) await storage.setAlarm(Date.now() + ms);
        },
      },
    );
  }

  /** The client options receipts are read with. */
  static clientOptions(env) {
    return optionsFromEnv(env);
  }

  /** One round of receipts; armed again while there is something to ask for. */
  async alarm() {
    const { nextInMs } = await this.#ledger.trackDelivery(this.constructor.clientOptions(this.env));
    if (nextInMs !== null) await this.ctx.storage.setAlarm(Date.now() + nextInMs);
  }

  create(meta) { return this.#ledger.create(meta); }
  addDropped(parts) { return this.#ledger.addDropped(parts); }
  addChunks(chunks) { return this.#ledger.addChunks(chunks); }
  claim(index, key) { return this.#ledger.claim(index, key); }
  record(index, token, outcome) { return this.#ledger.record(index, token, outcome); }
  cancel() { return this.#ledger.cancel(); }
  progress() { return this.#ledger.progress(); }
  report() { return this.#ledger.report(); }
  delivery() { return this.#ledger.delivery(); }
}

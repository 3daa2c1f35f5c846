// The Worker under test: uspeedo-sms/cloudflare's producer, queue consumer
// and ledger Durable Object, as a user would wire them, plus test ops:
//   POST /op { op, spec } -> { ok, value | error }
// Faults are armed per isolate (`arm`): a sender that throws right after
// the claim (before sending) or right after sending (before recording).
import { CampaignLedger, campaignLedger, campaignSender, queueConsumer, runChunk, startCampaign } from "uspeedo-sms/cloudflare";

/** The ledger, plus a way to restart its Durable Object mid-job. */
export class Ledger extends CampaignLedger {
  #instance = crypto.randomUUID();

  /** Receipts are read with the test's keys and the mock's URL. */
  static clientOptions(env) {
    return clientOptions(env);
  }

  /** Sizes (bytes) of the stored values whose keys start with `prefix`. */
  async sizes(prefix) {
    return [...(await this.ctx.storage.list({ prefix })).values()].map((v) => String(v).length);
  }

  alarmAt() {
    return this.ctx.storage.getAlarm();
  }

  /** Which instance answers: a restart makes a new one. */
  instance() {
    return this.#instance;
  }

  /** Every stored value, for the secret scan. */
  async dump() {
    return [...(await this.ctx.storage.list()).values()].map(String);
  }

  restart() {
    this.ctx.abort("test: restart the ledger");
  }
}

const clientOptions = (env) => ({ publicKey: env.PUBLIC_KEY, privateKey: env.PRIVATE_KEY, baseUrl: env.BASE_URL });

let faults = [];
function trip(at, chunk) {
  const index = JSON.parse(chunk).index;
  const rule = faults.find((f) => f.at === at && f.index === index && f.times > 0);
  if (!rule) return;
  rule.times -= 1;
  throw new Error(`test fault: consumer died ${at} of chunk ${index}`);
}

function faultySender(env) {
  const real = campaignSender(clientOptions(env));
  return {
    async send(chunk) {
      trip("afterClaim", chunk);
      const outcome = await real.send(chunk);
      trip("afterSend", chunk);
      return outcome;
    },
  };
}

const consume = queueConsumer({ ledger: "LEDGER", client: clientOptions, sender: faultySender });

const ops = {
  start: async ({ request, options, jobId, hold }, env) => {
    // The messages are kept for the test; `hold`: none reach the queue.
    const messages = [];
    const queue = {
      sendBatch: async (batch) => {
        messages.push(...batch.map((m) => m.body));
        if (!hold) await env.QUEUE.sendBatch(batch);
      },
    };
    const job = await startCampaign({ queue, ledger: env.LEDGER, client: clientOptions(env), request, options, jobId });
    return { ...job, messages };
  },
  arm: ({ rules }) => {
    faults = rules.map((r) => ({ ...r }));
    return faults.length;
  },
  progress: ({ jobId }, env) => campaignLedger(env.LEDGER, jobId).progress(),
  report: ({ jobId }, env) => campaignLedger(env.LEDGER, jobId).report(),
  delivery: ({ jobId }, env) => campaignLedger(env.LEDGER, jobId).delivery(),
  sizes: ({ jobId, prefix }, env) => campaignLedger(env.LEDGER, jobId).sizes(prefix),
  alarmAt: ({ jobId }, env) => campaignLedger(env.LEDGER, jobId).alarmAt(),
  cancel: ({ jobId }, env) => campaignLedger(env.LEDGER, jobId).cancel(),
  secretInStorage: async ({ jobId, secret }, env) =>
    (await campaignLedger(env.LEDGER, jobId).dump()).filter((v) => v.includes(secret)).length,
  instance: ({ jobId }, env) => campaignLedger(env.LEDGER, jobId).instance(),
  restart: async ({ jobId }, env) => {
    await campaignLedger(env.LEDGER, jobId).restart().catch(() => {});
    return true;
  },
  /** The same messages again, through the queue (duplicate delivery). */
  enqueue: async ({ messages }, env) => {
    await env.QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" })));
    return messages.length;
  },
  /** One message run by two consumers at once, against the real Durable Object. */
  concurrent: ({ message }, env) => {
    const ledger = campaignLedger(env.LEDGER, message.jobId);
    const sender = campaignSender(clientOptions(env));
    return Promise.all([runChunk({ ledger, sender }, message), runChunk({ ledger, sender }, message)]);
  },
};

export default {
  async fetch(request, env) {
    try {
      const { op, spec } = await request.json();
      return Response.json({ ok: true, value: await ops[op](spec, env) });
    } catch (error) {
      return Response.json({ ok: false, error: String(error?.stack ?? error) });
    }
  },
  queue: (batch, env) => consume(batch, env),
};

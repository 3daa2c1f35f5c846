// Compiled with `tsc --strict --module nodenext`: the campaign subpaths as a
// Worker and a Node user would use them; misuse does not compile.
import { CampaignLedger, campaignLedger, queueConsumer, startCampaign } from "uspeedo-sms/cloudflare";
import {
  MemoryLedger, campaignSender, createJobRecords, planCampaign, runChunk,
  type CampaignDelivery, type CampaignLedgerContract, type CampaignReport, type ChunkMessage, type PlannedCampaign,
} from "uspeedo-sms/campaign";
import type { SendBatchRequest } from "uspeedo-sms";

declare const env: { CAMPAIGN_QUEUE: { sendBatch(m: { body: ChunkMessage }[]): Promise<void> }; CAMPAIGN_LEDGER: any };
const request: SendBatchRequest = { TaskContent: [{ TemplateId: "UTA1", Target: [{ Phone: "+852 5531 1111" }] }] };

export async function worker(): Promise<number> {
  const job = await startCampaign({
    queue: env.CAMPAIGN_QUEUE, ledger: env.CAMPAIGN_LEDGER, env, request, options: { ratePerSecond: 20, claimTimeoutMs: 60_000 },
  });
  const ledger: CampaignLedgerContract = campaignLedger(env.CAMPAIGN_LEDGER, job.jobId);
  const report: CampaignReport = await ledger.report();
  const progress = await ledger.progress();
  // @ts-expect-error chunkSize is a number
  await startCampaign({ queue: env.CAMPAIGN_QUEUE, ledger: env.CAMPAIGN_LEDGER, request, options: { chunkSize: "1000" } });
  const tracked = await startCampaign({
    queue: env.CAMPAIGN_QUEUE, ledger: env.CAMPAIGN_LEDGER, env, request,
    options: { dedupe: true, suppress: ["+852 5531 1111"], trackDelivery: { intervalMs: 60_000, timeoutMs: 3_600_000 } },
  });
  // @ts-expect-error trackDelivery takes no onProgress: it runs in the ledger
  await startCampaign({ queue: env.CAMPAIGN_QUEUE, ledger: env.CAMPAIGN_LEDGER, request, options: { trackDelivery: { onProgress: () => {} } } });
  const delivery: CampaignDelivery = await campaignLedger(env.CAMPAIGN_LEDGER, tracked.jobId).delivery();
  const delivered = (report.delivery?.totals.delivered ?? 0) + delivery.totals.failed + (delivery.tracking ? 1 : 0);
  return report.totals.unknown + progress.chunksPending + (report.complete ? 1 : 0) + tracked.suppressed + delivered;
}

export const consumer: (batch: { messages: readonly any[] }, env: any) => Promise<void> = queueConsumer({ ledger: "CAMPAIGN_LEDGER" });
export const durableObject: typeof CampaignLedger = CampaignLedger;
/** A ledger whose alarm reads receipts with keys of other names. */
export class MyLedger extends CampaignLedger {
  static override clientOptions(env: { PK: string; SK: string }) {
    return { publicKey: env.PK, privateKey: env.SK };
  }
}

export async function node(): Promise<string | undefined> {
  const client = { publicKey: "pk", privateKey: "sk" };
  const planned: PlannedCampaign = planCampaign(client, request, { chunkSize: 500 }, "job-1");
  const ledger = new MemoryLedger();
  const messages: ChunkMessage[] = await createJobRecords(ledger, planned);
  const first = messages[0];
  if (!first) return undefined;
  const answer = await runChunk({ ledger, sender: campaignSender(client) }, first);
  const round = await ledger.trackDelivery(client);
  if (round.nextInMs !== null) setTimeout(() => ledger.trackDelivery(client), round.nextInMs);
  // @ts-expect-error a claim needs the chunk's key
  await ledger.claim(0);
  return answer.action === "retry" ? String(answer.delayMs) : answer.reason;
}

// Compiled with `tsc --strict --module nodenext`: the campaign subpaths as a
// Worker and a Node user would use them; misuse does not compile.
import { CampaignLedger, campaignLedger, queueConsumer, startCampaign } from "uspeedo-sms/cloudflare";
import {
  MemoryLedger, campaignSender, createJobRecords, planCampaign, runChunk,
  type CampaignLedgerContract, type CampaignReport, type ChunkMessage, type PlannedCampaign,
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
  return report.totals.unknown + progress.chunksPending + (report.complete ? 1 : 0);
}

export const consumer: (batch: { messages: readonly any[] }, env: any) => Promise<void> = queueConsumer({ ledger: "CAMPAIGN_LEDGER" });
export const durableObject: typeof CampaignLedger = CampaignLedger;

export async function node(): Promise<string | undefined> {
  const client = { publicKey: "pk", privateKey: "sk" };
  const planned: PlannedCampaign = planCampaign(client, request, { chunkSize: 500 }, "job-1");
  const ledger = new MemoryLedger();
  const messages: ChunkMessage[] = await createJobRecords(ledger, planned);
  const first = messages[0];
  if (!first) return undefined;
  const answer = await runChunk({ ledger, sender: campaignSender(client) }, first);
  // @ts-expect-error a claim needs the chunk's key
  await ledger.claim(0);
  return answer.action === "retry" ? String(answer.delayMs) : answer.reason;
}

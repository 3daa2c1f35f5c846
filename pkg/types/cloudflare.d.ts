// uspeedo-sms/cloudflare: campaigns on Cloudflare Queues with a Durable Object ledger.
import type { ClientOptions, SendBatchRequest } from "./index.js";
import type {
  CampaignLedgerContract, CampaignOptions, CampaignSender, ChunkMessage, PlannedChunk, ClaimAnswer,
  RecordAnswer, CampaignProgress, CampaignReport,
} from "./campaign.js";

export * from "./campaign.js";

interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): any;
}
interface QueueLike { sendBatch(messages: { body: ChunkMessage; contentType?: string }[]): Promise<unknown> }

export declare function startCampaign(parts: {
  queue: QueueLike;
  ledger: DurableObjectNamespaceLike;
  /** Client options; from `env` (USPEEDO_*) when absent. */
  client?: ClientOptions;
  env?: Record<string, unknown>;
  request: SendBatchRequest;
  options?: CampaignOptions;
  jobId?: string;
}): Promise<{ jobId: string; targets: number; sent: number; duplicatesDropped: number; suppressed: number; chunkCount: number }>;

export declare function campaignLedger(ledger: DurableObjectNamespaceLike, jobId: string): CampaignLedgerContract;

export declare function queueConsumer(options?: {
  /** The Durable Object binding's name (default CAMPAIGN_LEDGER). */
  ledger?: string;
  client?: (env: any) => ClientOptions;
  sender?: (env: any) => CampaignSender;
}): (batch: { messages: readonly any[] }, env: any) => Promise<void>;

export interface CampaignLedger extends CampaignLedgerContract {}
export declare class CampaignLedger {
  constructor(ctx: unknown, env: unknown);
  /** The client options its alarm reads receipts with (default: USPEEDO_* from env); override in a subclass. */
  static clientOptions(env: any): ClientOptions;
  /** With `trackDelivery`: one round of receipts, armed again while there is something to ask for. */
  alarm(): Promise<void>;
}

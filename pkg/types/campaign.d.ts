// uspeedo-sms/campaign: durable bulk jobs over a ledger of your own store.
import type { BulkReport, ClientOptions, SendBatchRequest } from "./index.js";

export interface CampaignOptions {
  /** Numbers per chunk (≤ 1000, the default). */
  chunkSize?: number;
  /** Request starts per second for the whole job, across all consumers. */
  ratePerSecond?: number;
  /** Include `unknown` numbers in the final report's `resendRequest`. */
  resendUnknown?: boolean;
  /** Largest stored chunk, bytes of JSON (1000 to 120000, the default: fits a 128 KB Queue message). */
  maxChunkBytes?: number;
  /**
   * How long after its claim an abandoned chunk (claimed, no outcome) counts
   * as settled: until then its claimant may still record, and the job is not
   * `complete`. Default 900000 (15 minutes, a Queue consumer's wall-time limit).
   */
  claimTimeoutMs?: number;
}

export interface PlannedChunk { index: number; key: string; chunk: string; state: string }
export interface PlannedCampaign { jobId: string; targets: number; chunkCount: number; meta: string; chunks: PlannedChunk[] }
export interface ChunkMessage { jobId: string; index: number; key: string }

export type ClaimAnswer =
  | { action: "send"; token: number; waitMs: number; chunk: string }
  | { action: "skip"; reason: string };
export type RecordAnswer = { action: "ack" } | { action: "retry"; delayMs: number };

export interface CampaignProgress {
  jobId: string; chunksTotal: number; chunksDone: number; chunksInFlight: number; chunksPending: number;
  targets: number; targetsSettled: number; complete: boolean; cancelled: boolean; stopped: boolean;
}

/** sendBulk's report; `resendRequest` only once `complete` (queued chunks will still be sent). */
export type CampaignReport = BulkReport & { jobId: string; complete: boolean; cancelled: boolean };

/** The ledger contract. `claim` must be atomic: one claim per chunk wins. */
export interface CampaignLedgerContract {
  create(meta: string): Promise<void>;
  addChunks(chunks: PlannedChunk[]): Promise<void>;
  claim(index: number, key: string): Promise<ClaimAnswer>;
  record(index: number, token: number, outcome: string): Promise<RecordAnswer>;
  cancel(): Promise<void>;
  progress(): Promise<CampaignProgress>;
  report(): Promise<CampaignReport>;
}

export interface LedgerStore {
  get(key: string): string | undefined | Promise<string | undefined>;
  /** All entries or none. */
  put(entries: Record<string, string>): void | Promise<void>;
  /** Values whose keys start with `prefix`, in key order. */
  list(prefix: string): string[] | Promise<string[]>;
}

/** The contract over a store of strings (MemoryLedger, the Durable Object). */
export interface Ledger extends CampaignLedgerContract {}
export declare class Ledger {
  constructor(store: LedgerStore);
}
export declare class MemoryLedger extends Ledger {
  constructor();
}

export interface CampaignSender { send(chunk: string): Promise<string> }

export declare function planCampaign(
  client: ClientOptions, request: SendBatchRequest, options?: CampaignOptions, jobId?: string,
): PlannedCampaign;
export declare function campaignSender(client: ClientOptions): CampaignSender;
export declare function createJobRecords(ledger: CampaignLedgerContract, planned: PlannedCampaign): Promise<ChunkMessage[]>;
export declare function runChunk(
  parts: { ledger: CampaignLedgerContract; sender: CampaignSender }, message: ChunkMessage,
): Promise<RecordAnswer & { reason?: string }>;

// uspeedo-sms/campaign: durable bulk jobs over a ledger of your own store.
import type { BulkReport, ClientOptions, DeliveryReport, DeliveryTotals, SendBatchRequest } from "./index.js";

export interface CampaignOptions {
  /** Numbers per chunk (≤ 1000, the default). */
  chunkSize?: number;
  /** Drop repeated (TemplateId, phone, params) targets when planned; listed in the report's `duplicates`, as by sendBulk. */
  dedupe?: boolean;
  /** Numbers never to text, in any accepted phone form; their targets are in the report's `suppressed`, never sent. */
  suppress?: readonly string[];
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
  /**
   * The ledger asks for its sessions' delivery receipts (the Durable
   * Object's alarm; elsewhere, call `trackDelivery`) every `intervalMs`
   * (default 30 s) for `timeoutMs` (default 15 min) after each chunk's send,
   * until every sent number is delivered or failed. `true`: the defaults.
   */
  trackDelivery?: boolean | { intervalMs?: number; timeoutMs?: number };
}

export interface PlannedChunk { index: number; key: string; chunk: string; state: string }
export interface StoredPart { index: number; text: string }
export interface PlannedCampaign {
  jobId: string;
  /** Every input target: `sent` of them in chunks, the rest suppressed or dropped repeats. */
  targets: number;
  sent: number;
  duplicatesDropped: number;
  suppressed: number;
  chunkCount: number;
  meta: string;
  chunks: PlannedChunk[];
  /** The suppressed targets and repeats, for `addDropped`. */
  dropped: StoredPart[];
}
export interface ChunkMessage { jobId: string; index: number; key: string }

export type ClaimAnswer =
  | { action: "send"; token: number; waitMs: number; chunk: string }
  | { action: "skip"; reason: string };
export type RecordAnswer = { action: "ack" } | { action: "retry"; delayMs: number };

export interface CampaignProgress {
  jobId: string; chunksTotal: number; chunksDone: number; chunksInFlight: number; chunksPending: number;
  targets: number; targetsSettled: number; complete: boolean; cancelled: boolean; stopped: boolean;
}

/**
 * sendBulk's report; `resendRequest` only once `complete` (queued chunks will
 * still be sent). `delivery`: with `trackDelivery`, the delivery totals
 * (`tracking`: the ledger may still ask for receipts; `false`: no receipt call follows).
 */
export type CampaignReport = BulkReport & {
  jobId: string; complete: boolean; cancelled: boolean;
  delivery?: { totals: DeliveryTotals; complete: boolean; tracking: boolean };
};

/**
 * trackDelivery's report of the job's numbers; `complete` also needs the job
 * to be complete. `rounds`: receipt rounds made; `lastError`: why the last
 * round could not read them (it is asked again).
 */
export type CampaignDelivery = DeliveryReport & {
  jobId: string; tracking: boolean; rounds: number;
  lastError: {
    code: string; delivery: string; message: string; status: number | null; retCode: number | null;
    requestId: string | null; attempts: number | null; retryAfterMs: number | null;
  } | null;
};

/** The ledger contract. `claim` must be atomic: one claim per chunk wins. */
export interface CampaignLedgerContract {
  create(meta: string): Promise<void>;
  addDropped(parts: StoredPart[]): Promise<void>;
  addChunks(chunks: PlannedChunk[]): Promise<void>;
  claim(index: number, key: string): Promise<ClaimAnswer>;
  record(index: number, token: number, outcome: string): Promise<RecordAnswer>;
  cancel(): Promise<void>;
  progress(): Promise<CampaignProgress>;
  report(): Promise<CampaignReport>;
  delivery(): Promise<CampaignDelivery>;
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
  /** `schedule(ms)`: a chunk recorded with a session wants its receipts in `ms` (arm a timer, an alarm). */
  constructor(store: LedgerStore, options?: { schedule?: (ms: number) => void | Promise<void> });
  /** One round of receipts (trackDelivery campaigns); `nextInMs`: when to ask again, null: nothing more to ask. */
  trackDelivery(client: ClientOptions): Promise<{ nextInMs: number | null }>;
}
export declare class MemoryLedger extends Ledger {
  constructor(options?: { schedule?: (ms: number) => void | Promise<void> });
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

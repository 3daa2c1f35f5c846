// Public API of uspeedo-sms. Request and response shapes come from
// ./wire.js, generated from the Rust types; this file adds the JS surface.

import type {
  BulkPlan, BulkProgress, BulkReport, ClientSettings, Delivery, ErrorCode, ErrorDetails, FailedTask, Issue,
  DeliveryReport, DeliveryTotals, IssueCode, MessagePreview, PreparedRequest, ReceiptsResult, SendBatchRequest,
  SendResult, TemplatesResult, ValidationReport,
} from "./wire.js";

// Every output shape is generated from the Rust types (wire.d.ts); this file
// adds what Rust cannot say: options with functions and signals, overloads,
// the error union and the narrowed validation result.
export type {
  BulkChunk, BulkChunkError, BulkCost, BulkCountryCost, BulkDuplicate, BulkEntry, BulkPlan, BulkProgress, BulkReport,
  BulkSuppressed, BulkTotals,
  ClientSettings, Delivery, DeliveryEntry, DeliveryReport, DeliveryStatus, DeliveryTotals, Encoding, ErrorCode,
  ErrorDetails, FailedNumber, FailedTarget, FailedTask, Issue,
  IssueCode, MessagePreview, PreparedRequest, Receipt, ReceiptStatus, ReceiptsResult, SendBatchRequest,
  SendBatchResponse, SendResult, Target, Task, Template, TemplateStatus, TemplatesResult, ValidationReport,
} from "./wire.js";

/** What `fetch` must accept and return; the global `fetch` of every supported runtime fits. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<Response>;

export interface RequestEvent {
  method: string;
  url: string;
  attempt: number;
  /** `X-Signature` and `X-Access-Key-Id` are replaced by "[redacted]". */
  headers: Record<string, string>;
}

export interface ResponseEvent {
  method: string;
  url: string;
  attempt: number;
  /** `null` when no HTTP answer arrived. */
  status: number | null;
  durationMs: number;
  requestId: string | null;
  error?: ErrorCode;
}

interface CommonOptions {
  /** Default `AccountId` for requests that do not name one. */
  accountId?: number | string;
  /** Per attempt; default 30 000. */
  timeoutMs?: number;
  /** Retries of attempts that provably were not processed (HTTP 429, connection refused); default 2. */
  maxRetries?: number;
  fetch?: FetchLike;
  userAgent?: string;
  /** Extra request headers; the signature headers cannot be overridden. */
  headers?: Record<string, string>;
  /** Template texts by TemplateId: enables parameter-count and length checks before sending. */
  templates?: Record<string, string>;
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
}

export interface DirectOptions extends CommonOptions {
  publicKey: string;
  privateKey: string;
  /** Default `https://api.uspeedo.com/api`. */
  baseUrl?: string;
  proxyUrl?: never;
}

/** Browsers: send unsigned, validated batches to your signing proxy; no key in the page. */
export interface ProxyClientOptions extends CommonOptions {
  proxyUrl: string;
  publicKey?: never;
  privateKey?: never;
  baseUrl?: never;
}

export type ClientOptions = DirectOptions | ProxyClientOptions;


export interface SendOptions {
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /**
   * Load the request's templates from uSpeedo first (those this client does not
   * know yet) and validate against them: TEMPLATE_NOT_APPROVED, TEMPLATE_UNKNOWN,
   * parameter counts and length from the real text. Server builds only.
   */
  checkTemplates?: boolean;
}


export interface BulkPlanOptions {
  /** Numbers per request, 1 to 1000 (default 1000). */
  chunkSize?: number;
  /** Drop repeated (TemplateId, phone, params) targets; they are listed in the report. */
  dedupe?: boolean;
  /**
   * Numbers never to text, in any accepted phone form (normalised before
   * matching); their targets are listed in the report's `suppressed`, never sent.
   */
  suppress?: readonly string[];
  /**
   * Price per SMS part by country calling code (`{ "852": 0.045 }`, any currency):
   * `planBulk`'s `cost` then gives the estimated cost per country and in total.
   */
  prices?: Readonly<Record<string, number>>;
}

export interface BulkOptions extends BulkPlanOptions {
  /** Requests in flight (default 4, at most 64). */
  concurrency?: number;
  /** Ceiling on request starts per second. */
  ratePerSecond?: number;
  signal?: AbortSignal;
  /** A deadline for the whole job; chunks not started by then are `notAttempted`. */
  deadlineMs?: number;
  /** Also put `unknown` numbers in `resendRequest` (they may have been texted already). */
  resendUnknown?: boolean;
  /** As for `sendBatch` (planBulk refuses it: it is synchronous; call `loadTemplates` first). */
  checkTemplates?: boolean;
  onProgress?: (progress: BulkProgress) => void;
}






export declare class Client {
  constructor(options: ClientOptions);
  /** USPEEDO_PUBLIC_KEY, USPEEDO_PRIVATE_KEY, USPEEDO_API_BASE_URL, USPEEDO_ACCOUNT_ID from `env` (default `process.env`). */
  static fromEnv(env?: Record<string, string | undefined>, overrides?: Partial<DirectOptions>): Client;
  /** Validated, normalised and signed; not sent. */
  prepare(request: SendBatchRequest, options?: Pick<SendOptions, "checkTemplates" | "signal">): Promise<PreparedRequest>;
  /** Exactly one API call, at most 1000 numbers. */
  sendBatch(request: SendBatchRequest, options?: SendOptions): Promise<SendResult>;
  /** Validates the whole input and plans its requests; nothing is sent. */
  planBulk(request: SendBatchRequest, options?: BulkPlanOptions): BulkPlan;
  /** Any number of recipients in requests of ≤ 1000; resolves to a report, also when aborted. */
  sendBulk(request: SendBatchRequest, options?: BulkOptions): Promise<BulkReport>;
  /**
   * Delivery receipts for any number of SessionNos: 100 per call, `concurrency`
   * calls at a time (default 4); a read is retried after a timeout, a reset or
   * a 5xx, because reading twice texts nobody. In the browser, through the
   * signing proxy (`proxyUrl`).
   */
  getReceipts(sessionNos: readonly string[], options?: ReadOptions): Promise<ReceiptsResult>;
  /** Templates as uSpeedo has them (text, status); ids it does not know are in `unknown`. */
  getTemplates(templateIds: readonly string[], options?: ReadOptions): Promise<TemplatesResult>;
  /**
   * Polls receipts for a `sendBulk` report, a `SendResult` or SessionNos until every
   * accepted number has a final status or `timeoutMs` (default 15 min) passes, every
   * `intervalMs` (default 30 s); numbers without a SessionNo are listed as they are,
   * never guessed. Resolves to the report, also when aborted.
   */
  trackDelivery(
    input: BulkReport | SendResult | readonly string[],
    options?: {
      intervalMs?: number;
      timeoutMs?: number;
      signal?: AbortSignal;
      /** After each round of receipts: the totals, and the report so far (every number's status). */
      onProgress?: (totals: DeliveryTotals, report: DeliveryReport) => void;
    },
  ): Promise<DeliveryReport>;
  /**
   * Fetches templates once and keeps them on this client: later validations use
   * their texts and refuse templates that are not approved (TEMPLATE_NOT_APPROVED)
   * or unknown (TEMPLATE_UNKNOWN); texts given in `templates` win. Without ids,
   * refreshes the ones already loaded.
   */
  loadTemplates(templateIds?: readonly string[], options?: ReadOptions): Promise<TemplatesResult>;
  toJSON(): ClientSettings;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Per call; overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Read calls in flight, 1 to 16 (default 4). */
  concurrency?: number;
}

/** The uSpeedo actions the signing proxy can forward. */
export type ProxyAction = "SendBatchUSMSMessage" | "GetUSMSSendReceipt" | "QueryUSMSTemplate";

export interface ProxyOptions extends Omit<DirectOptions, "templates"> {
  /**
   * The actions a browser may ask for (default all three); another is refused
   * with 403 ACTION_NOT_ALLOWED. The browser's client names the action as
   * uSpeedo's endpoint does, `?Action=` on the proxy's URL (none: the send).
   */
  allowActions?: ProxyAction[];
  /** Only these TemplateIds may be sent or looked up (403 TEMPLATE_NOT_ALLOWED). */
  allowTemplates?: string[];
  /**
   * Accounts a browser's request may name besides `accountId` (default none:
   * another `AccountId` is refused with 403 ACCOUNT_NOT_ALLOWED).
   */
  allowAccountIds?: number[];
  /** Only these SenderIds (task and per-target) may be sent (403 SENDER_NOT_ALLOWED). */
  allowSenderIds?: string[];
  /** A number twice for one template is an error (DUPLICATE_PHONE), not a warning. */
  rejectDuplicates?: boolean;
  /** Most parameters per target (400 TOO_MANY_PARAMS). */
  maxParams?: number;
  /** Most characters per parameter (400 PARAM_TOO_LONG). */
  maxParamLength?: number;
  /** Numbers per request the proxy accepts (default and maximum 1000). */
  maxTargets?: number;
  /** Largest body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * Resolve to `true` to let the request through (e.g. check a session cookie);
   * called before the body is read, with the action asked for.
   */
  authorize?: (request: Request, action: ProxyAction) => boolean | Promise<boolean>;
  templates?: Record<string, string>;
}

/**
 * The signing proxy for browsers: a Fetch-API handler (a Worker's `fetch`
 * as it stands). Server runtimes only; throws CONFIG in the browser build.
 */
export declare function createProxyHandler(options: ProxyOptions): (request: Request) => Promise<Response>;

export interface NodeHandlerOptions {
  /** The `Host` values this server answers to, e.g. `["127.0.0.1:8080", "sms.example.com"]`. */
  allowedHosts: string[];
  /** Origins whose pages may call it; default `http://` and `https://` of each allowed host. */
  allowedOrigins?: string[];
}

/**
 * Node only: mounts a Fetch-API handler (the proxy) on `http.createServer`,
 * refusing other Hosts (DNS rebinding) and Origins (cross-site requests) and
 * answering malformed requests instead of throwing. Throws CONFIG in Workers
 * and browsers, which call the handler themselves.
 */
export declare function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions,
): (req: object, res: object) => Promise<void>;

export interface ValidateOptions {
  templates?: Record<string, string>;
  /** Default 1000 (one request); `null` for no limit. */
  maxTargets?: number | null;
  allowTemplates?: string[];
}

/** `ValidationReport` (generated from Rust), narrowed on `ok`. */
export type ValidationResult =
  | (ValidationReport & { ok: true; errors: []; errorCount: 0; normalized: SendBatchRequest })
  | (ValidationReport & { ok: false; normalized: null });

/** Checks a batch without sending it; never throws for bad input. */
export declare function validateBatch(request: unknown, options?: ValidateOptions): ValidationResult;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** uSpeedo's `X-Signature` for any payload. */
export declare function signPayload(payload: JsonValue, privateKey: string): string;

/** Renders `{1}`, `{2}`, … and counts characters and SMS parts. */
export declare function previewMessage(templateText: string, params?: readonly string[]): MessagePreview;

interface ErrorBase extends Error {
  name: "UspeedoError";
  /** `not_sent`: provably not processed. `unknown`: may have been processed; sending again could text people twice. */
  delivery: Delivery;
  requestId: string | null;
  /** Attempts made (retries included), when a request was attempted. */
  attempts?: number;
  /** The error as plain data (what `JSON.stringify` writes); `requestId` is `null` when unknown. */
  toJSON(): Omit<ErrorDetails, "requestId"> & { name: "UspeedoError"; requestId: string | null };
}

export type UspeedoErrorVariant =
  | { code: "VALIDATION"; delivery: "not_sent"; issues: Issue[]; issueCount: number }
  | { code: "API"; delivery: "not_sent"; retCode: number; apiMessage: string; failContent: FailedTask[]; status: number }
  | { code: "HTTP"; status: number; bodyExcerpt?: string; retryAfterMs?: number }
  | { code: "NETWORK" }
  | { code: "TIMEOUT"; delivery: "unknown" }
  | { code: "ABORTED" }
  | { code: "BAD_RESPONSE"; delivery: "unknown"; status?: number; bodyExcerpt?: string }
  | { code: "CONFIG"; delivery: "not_sent" }
  | { code: "INTERNAL" };

/** The one error type thrown; narrow on `code`. */
export type UspeedoError = ErrorBase & UspeedoErrorVariant;

export declare const UspeedoError: {
  new (info: { code: ErrorCode; message: string; delivery: Delivery } & Record<string, unknown>): UspeedoError;
  readonly prototype: UspeedoError;
  [Symbol.hasInstance](value: unknown): value is UspeedoError;
};

export type { IssueCode as ValidationCode };

/**
 * Diagnostics: the WebAssembly instance's linear memory in bytes. It grows
 * and never shrinks; once no call has run for ten seconds and it is over
 * 16 MiB, the package gives it back (a fresh instance, see `releaseMemory`).
 */
export declare function wasmMemoryBytes(): number;

/**
 * Gives the wasm memory back now, without waiting for ten seconds of quiet: when
 * it has grown past 16 MiB and no call is running, the instance is replaced
 * by a fresh one (clients keep their options and loaded templates). Returns
 * whether it did. For Workers, whose timers end with the request.
 */
export declare function releaseMemory(): boolean;

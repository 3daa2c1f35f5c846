// Public API of uspeedo-sms. Request and response shapes come from
// ./wire.js, generated from the Rust types; this file adds the JS surface.

import type {
  Delivery, ErrorCode, FailedNumber, FailedTask, Issue, IssueCode, MessagePreview, PreparedRequest,
  SendBatchRequest, SendBatchResponse,
} from "./wire.js";

export type {
  Delivery, Encoding, ErrorCode, FailedNumber, FailedTarget, FailedTask, Issue, IssueCode, MessagePreview,
  PreparedRequest, SendBatchRequest, SendBatchResponse, Target, Task,
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
export interface ProxyOptions extends CommonOptions {
  proxyUrl: string;
  publicKey?: never;
  privateKey?: never;
  baseUrl?: never;
}

export type ClientOptions = DirectOptions | ProxyOptions;

/** What `toJSON()` shows: the options as checked, never the private key. */
export interface ClientSettings {
  mode: "direct" | "proxy";
  publicKey: string | null;
  accountId: number | null;
  baseUrl: string;
  proxyUrl: string | null;
  timeoutMs: number;
  maxRetries: number;
  userAgent: string | null;
  headers: Record<string, string>;
  templates: Record<string, string>;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
}

export interface SendResult extends SendBatchResponse {
  /** `X-Speedo-Request-Uuid`, else the body's `ReqUuid`. */
  requestId: string | null;
  /** Every number uSpeedo did not send, with its reason. */
  failed: FailedNumber[];
  /** A request for exactly the failed numbers, or `null` when none failed. */
  resendRequest: SendBatchRequest | null;
}

export declare class Client {
  constructor(options: ClientOptions);
  /** USPEEDO_PUBLIC_KEY, USPEEDO_PRIVATE_KEY, USPEEDO_API_BASE_URL, USPEEDO_ACCOUNT_ID from `env` (default `process.env`). */
  static fromEnv(env?: Record<string, string | undefined>, overrides?: Partial<DirectOptions>): Client;
  /** Validated, normalised and signed; not sent. */
  prepare(request: SendBatchRequest): Promise<PreparedRequest>;
  /** Exactly one API call, at most 1000 numbers. */
  sendBatch(request: SendBatchRequest, options?: SendOptions): Promise<SendResult>;
  toJSON(): ClientSettings;
}

export interface ValidateOptions {
  templates?: Record<string, string>;
  /** Default 1000 (one request); `null` for no limit. */
  maxTargets?: number | null;
  allowTemplates?: string[];
}

export type ValidationResult =
  | { ok: true; errors: []; errorCount: 0; warnings: Issue[]; warningCount: number; normalized: SendBatchRequest }
  | { ok: false; errors: Issue[]; errorCount: number; warnings: Issue[]; warningCount: number; normalized: null };

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
  toJSON(): Record<string, unknown>;
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

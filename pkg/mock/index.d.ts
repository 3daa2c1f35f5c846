// uspeedo-sms/mock: a local stand-in for uSpeedo's API (Node only), for
// testing code that sends SMS. It checks every signature with its own
// implementation, never the package's.

export interface MockTemplate {
  Template?: string;
  /** Default: the TemplateId. */
  TemplateName?: string;
  /** 0 pending, 1 in review, 2 approved (default), 3 rejected, 4 disabled. */
  Status?: number;
}

export interface MockOptions {
  /** The expected `X-Access-Key-Id`, and the signing secret. */
  publicKey: string;
  privateKey: string;
  /** Default 0: any free port. */
  port?: number;
  /** A 127.x.x.x address (default 127.0.0.1). */
  host?: string;
  /** Numbers, exactly as sent (`"(86)13800000000"`), answered "phone in the black list". */
  blacklist?: string[];
  /** Known TemplateIds (others fail), or TemplateId → text or `{ Template, Status }`; default: any id. */
  templates?: string[] | Record<string, string | MockTemplate> | null;
  /** Numbers accepted and then reported `Fail` in their receipts. */
  undeliverable?: string[];
  /** Receipts say `Unknow` (pending) until this long after the send (default 0). */
  receiptDelayMs?: number;
  /** Delay before every answer (default 0). */
  latencyMs?: number;
  /** Larger bodies get HTTP 413 (default 8 MiB). */
  maxBodyBytes?: number;
  /** The clock, in ms (default `Date.now`). */
  now?: () => number;
}

export interface MockAccepted {
  SessionNo: string;
  TemplateId: string;
  SenderId: string;
  Phone: string;
  TemplateParams: string[];
  ExtendCode: string;
  UserId: string;
  requestId: string;
}

export interface MockRequest {
  requestId: string;
  action: string | null;
  targets: number;
  /** `ok`, `error <RetCode>`, `rejected <HTTP status>`, `dropped`, `redirected <status>`. */
  outcome: string;
  fault?: string;
}

export type MockFaultKind =
  | "latency" | "status429" | "status500" | "html502" | "truncatedJson" | "retCodeString" | "resetBeforeBody" | "resetAfterBody"
  | "hang" | "slowDrip" | "emptyBody" | "hugeBody" | "wrongTypes" | "duplicateKeys" | "retCode" | "redirect";

export interface MockFaultRule {
  kind: MockFaultKind;
  /** How many requests it claims (default 1; `Infinity` for all). */
  times?: number;
  /** Requests to let through first. */
  after?: number;
  /** Only requests whose parsed body this returns true for. */
  match?: (payload: unknown, request: unknown) => boolean;
  /** `status429`: the Retry-After value. */
  retryAfter?: number;
  /** `status500`: whether the batch was processed before the error. */
  processed?: boolean;
  /** `slowDrip`: ms between bytes. */
  intervalMs?: number;
  /** `latency`: the extra delay. */
  ms?: number;
  /** `retCode`: the RetCode and Message answered. */
  retCode?: number;
  message?: string;
  /** `redirect`: status (default 307) and Location (default the API path). */
  status?: number;
  location?: string;
}

export interface MockServer {
  /** `http://127.0.0.1:PORT/api`: the client's `baseUrl`. */
  url: string;
  port: number;
  /** Every accepted number. */
  accepted: MockAccepted[];
  /** One entry per HTTP request reaching the handler. */
  requests: MockRequest[];
  /** Pending fault rules, live. */
  faults: MockFaultRule[];
  acceptedCount(): number;
  /** Each (TemplateId, Phone, TemplateParams) accepted more than once. */
  duplicates(): { TemplateId: string; Phone: string; count: number }[];
  /** Empties accepted, requests, faults, sessions and seen nonces. */
  reset(): void;
  /** Queues a fault rule; throws `TypeError` on a malformed one. */
  injectFault(rule: MockFaultRule): MockFaultRule;
  /** Stops listening and destroys every open socket; idempotent. */
  close(): Promise<void>;
}

export declare function startMockServer(options: MockOptions): Promise<MockServer>;

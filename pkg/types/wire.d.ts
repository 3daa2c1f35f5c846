// Generated from the Rust types by tests/typescript_types.rs (ts-rs). Do not edit:
// run `UPDATE_TYPES=1 cargo test --features typescript --test typescript_types`.

export type SendBatchRequest = { 
/**
 * Optional: an account has a default service account.
 */
AccountId?: number, TaskContent: Array<Task>, };

export type Task = { TemplateId: string, SenderId?: string, Target: Array<Target>, };

export type Target = { Phone: string, 
/**
 * The template's `{1}`, `{2}`, ... in order. Omitted on the wire when
 * empty: the docs say a template without variables takes none.
 */
TemplateParams?: Array<string>, SenderId?: string, ExtendCode?: string, UserId?: string, };

export type SendBatchResponse = { RetCode: number, Action: string, Message: string, 
/**
 * Present when at least one SMS was accepted; the key for receipts.
 */
SessionNo?: string, ReqUuid?: string, SuccessCount: number, FailContent: Array<FailedTask>, };

export type FailedTask = { TemplateId: string, SenderId?: string, 
/**
 * Set when the whole template / SenderId check failed.
 */
FailureDetails?: string, Target: Array<FailedTarget>, };

export type FailedTarget = { Phone: string, TemplateParams: Array<string>, ExtendCode?: string, UserId?: string, 
/**
 * Per-number reason; empty when the batch-level check failed.
 */
FailureDetails?: string, Invalid?: boolean, };

export type FailedNumber = { TemplateId: string, SenderId?: string, Phone: string, TemplateParams: Array<string>, ExtendCode?: string, UserId?: string, 
/**
 * The number's own reason, else its template's, else a generic one.
 */
FailureDetails: string, Invalid?: boolean, };

export type Issue = { 
/**
 * Where the problem is, e.g. `TaskContent[0].Target[3].Phone`.
 */
path: string, code: IssueCode, message: string, };

export type IssueCode = "INVALID_JSON" | "WRONG_TYPE" | "REQUIRED" | "EMPTY" | "UNKNOWN_FIELD" | "WRONG_ACTION" | "INVALID_ACCOUNT_ID" | "TOO_MANY_TARGETS" | "CONTROL_CHARACTER" | "SURROUNDING_WHITESPACE" | "PHONE_INVALID_CHARACTERS" | "PHONE_UNKNOWN_COUNTRY_CODE" | "PHONE_TOO_SHORT" | "PHONE_TOO_LONG" | "PARAMS_COUNT_MISMATCH" | "MESSAGE_TOO_LONG" | "TEMPLATE_NOT_ALLOWED" | "ACCOUNT_NOT_ALLOWED" | "TEMPLATE_NOT_APPROVED" | "TEMPLATE_UNKNOWN" | "SENDER_NOT_ALLOWED" | "TOO_MANY_PARAMS" | "PARAM_TOO_LONG" | "ACTION_NOT_ALLOWED" | "TOO_MANY_IDS" | "ID_TOO_LONG" | "DUPLICATE_PHONE";

export type MessagePreview = { text: string, 
/**
 * Characters (Unicode scalar values), the unit of the 500 limit.
 */
characters: number, encoding: Encoding, 
/**
 * Encoding units: GSM-7 septets (extension characters count 2) or
 * UTF-16 code units.
 */
units: number, segments: number, 
/**
 * Variables `{n}` without a parameter.
 */
missingParams: Array<number>, 
/**
 * More than 500 characters, uSpeedo's limit for one message.
 */
tooLong: boolean, };

export type Encoding = "GSM-7" | "UCS-2";

export type ErrorCode = "VALIDATION" | "API" | "HTTP" | "NETWORK" | "TIMEOUT" | "ABORTED" | "BAD_RESPONSE" | "CONFIG" | "INTERNAL";

export type Delivery = "not_sent" | "unknown";

export type PreparedRequest = { url: string, method: string, headers: Record<string, string>, body: string, };

export type SendResult = { requestId: string | null, 
/**
 * Every number the API did not send, with its reason.
 */
failed: Array<FailedNumber>, 
/**
 * A request for exactly the failed numbers, or `null`.
 */
resendRequest: SendBatchRequest | null, 
/**
 * Set when uSpeedo's failure list named numbers that were not in the
 * request (or one more often than it was sent): those are left out of
 * `failed` and `resendRequest`.
 */
mismatch?: string, RetCode: number, Action: string, Message: string, 
/**
 * Present when at least one SMS was accepted; the key for receipts.
 */
SessionNo?: string, ReqUuid?: string, SuccessCount: number, FailContent: Array<FailedTask>, };

export type ValidationReport = { ok: boolean, errors: Array<Issue>, errorCount: number, warnings: Array<Issue>, warningCount: number, normalized: SendBatchRequest | null, };

export type ClientSettings = { 
/**
 * `"direct"` signs with a key pair; `"proxy"` posts unsigned batches to `proxyUrl`.
 */
mode: "direct" | "proxy", publicKey: string | null, accountId: number | null, baseUrl: string, proxyUrl: string | null, timeoutMs: number, maxRetries: number, userAgent: string | null, headers: Record<string, string>, templates: Record<string, string>, };

export type ErrorDetails = { code: ErrorCode, message: string, delivery: Delivery, requestId?: string, status?: number, bodyExcerpt?: string, retCode?: number, apiMessage?: string, failContent?: Array<FailedTask>, issues?: Array<Issue>, issueCount?: number, 
/**
 * Set on HTTP 429 when the server said when to come back.
 */
retryAfterMs?: number, 
/**
 * How many attempts the call made (set by the transport).
 */
attempts?: number, };

export type BulkPlan = { targets: number, sent: number, duplicatesDropped: number, 
/**
 * Targets whose number is on the `suppress` list: never sent.
 */
suppressed: number, chunkCount: number, chunkSizes: Array<number>, 
/**
 * SMS parts (and, with `prices`, the cost) the plan will use.
 */
cost: BulkCost, warnings: Array<Issue>, warningCount: number, };

export type BulkProgress = { chunksDone: number, chunksTotal: number, accepted: number, failed: number, unknown: number, notAttempted: number, 
/**
 * Not yet decided (chunks still queued or in flight); 0 in a final report.
 */
pending: number, };

export type BulkReport = { totals: BulkTotals, accepted: Array<BulkEntry>, failed: Array<BulkEntry>, unknown: Array<BulkEntry>, notAttempted: Array<BulkEntry>, 
/**
 * Targets on the `suppress` list: never sent.
 */
suppressed: Array<BulkSuppressed>, duplicates: Array<BulkDuplicate>, chunks: Array<BulkChunk>, sessionNos: Array<string>, stoppedBy: BulkChunkError | null, resendRequest: SendBatchRequest | null, };

export type BulkTotals = { targets: number, sent: number, accepted: number, failed: number, unknown: number, notAttempted: number, duplicatesDropped: number, suppressed: number, chunks: number, };

export type BulkEntry = { path: string, TemplateId: string, Phone: string, UserId?: string, chunk: number, reason?: string, };

export type BulkDuplicate = { path: string, duplicateOf: string, };

export type BulkSuppressed = { path: string, TemplateId: string, Phone: string, UserId?: string, };

export type BulkCost = { 
/**
 * SMS parts of the targets whose template text is known.
 */
parts: number, 
/**
 * Targets counted in `parts`, and those whose template text is not
 * known (load it with `loadTemplates`, or pass `templates`).
 */
targetsWithText: number, targetsWithoutText: number, templatesWithoutText: Array<string>, 
/**
 * Parts per chunk, in chunk order.
 */
chunkParts: number[], byCountry: { [key in string]: BulkCountryCost }, 
/**
 * With `prices`: the estimated cost of the priced countries' parts.
 */
total?: number, 
/**
 * With `prices`: countries with targets and no price (not in `total`).
 */
unpriced: Array<string>, };

export type BulkCountryCost = { targets: number, parts: number, price?: number, cost?: number, };

export type BulkChunk = { index: number, status: "accepted" | "partial" | "mismatch" | "failed" | "unknown" | "not_attempted", targets: number, requestId: string | null, SessionNo: string | null, SuccessCount: number | null, failed: number, error: BulkChunkError | null, mismatch: string | null, attempts: number | null, };

export type BulkChunkError = { 
/**
 * An error code, or `DEADLINE` / `STOPPED` for chunks never sent.
 */
code: string, message: string, delivery: Delivery, };

export type ReceiptsResult = { receipts: Array<Receipt>, 
/**
 * Sessions asked for that have no receipt yet (or that uSpeedo does not know).
 */
sessionsWithoutReceipts: Array<string>, 
/**
 * The request id of each call made.
 */
requestIds: Array<string>, };

export type Receipt = { SessionNo: string, Phone: string, UserId: string, 
/**
 * uSpeedo's value as it came (`Success`, `Fail`, `SubmitFail`, `Unknow`).
 */
ReceiptResult: string, ReceiptCode: string, ReceiptDesc: string, 
/**
 * Unix seconds, as uSpeedo gives it (0 when absent).
 */
ReceiptTime: number, 
/**
 * SMS parts billed.
 */
CostCount: number, status: ReceiptStatus, };

export type ReceiptStatus = "delivered" | "failed" | "pending";

export type TemplatesResult = { templates: Array<Template>, 
/**
 * Ids asked for that uSpeedo did not return.
 */
unknown: Array<string>, };

export type Template = { TemplateId: string, 
/**
 * The text, with `{1}`, `{2}`… for the parameters.
 */
Template: string, TemplateName: string, Purpose: number, 
/**
 * uSpeedo's number as it came.
 */
Status: number, Remark: string, ErrDesc: string, CreateTime: number, status: TemplateStatus, };

export type TemplateStatus = "pending" | "in_review" | "approved" | "rejected" | "disabled" | "unknown";

export type DeliveryReport = { 
/**
 * Every number, once, with its status.
 */
numbers: Array<DeliveryEntry>, totals: DeliveryTotals, 
/**
 * Totals by country calling code (`"86"`, `"852"`…).
 */
byCountry: { [key in string]: DeliveryTotals }, 
/**
 * Totals by TemplateId (numbers known by SessionNo only have none).
 */
byTemplate: { [key in string]: DeliveryTotals }, 
/**
 * Whether every accepted number reached a final status.
 */
complete: boolean, 
/**
 * Sessions asked for that had no receipt at all.
 */
sessionsWithoutReceipts: Array<string>, };

export type DeliveryEntry = { 
/**
 * Where the number was in a `sendBulk` report's input.
 */
path?: string, TemplateId?: string, Phone: string, UserId?: string, SessionNo: string | null, status: DeliveryStatus, 
/**
 * `ReceiptDesc` for a failed receipt, the send's reason otherwise.
 */
reason?: string, CostCount: number, };

export type DeliveryTotals = { delivered: number, failed: number, pending: number, unknown: number, notAccepted: number, notAttempted: number, suppressed: number, 
/**
 * SMS parts billed, from the receipts.
 */
costCount: number, };

export type DeliveryStatus = "delivered" | "failed" | "pending" | "unknown" | "not_accepted" | "not_attempted" | "suppressed";

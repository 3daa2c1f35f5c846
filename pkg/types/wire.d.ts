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

export type IssueCode = "INVALID_JSON" | "WRONG_TYPE" | "REQUIRED" | "EMPTY" | "UNKNOWN_FIELD" | "WRONG_ACTION" | "INVALID_ACCOUNT_ID" | "TOO_MANY_TARGETS" | "CONTROL_CHARACTER" | "SURROUNDING_WHITESPACE" | "PHONE_INVALID_CHARACTERS" | "PHONE_UNKNOWN_COUNTRY_CODE" | "PHONE_TOO_SHORT" | "PHONE_TOO_LONG" | "PARAMS_COUNT_MISMATCH" | "MESSAGE_TOO_LONG" | "TEMPLATE_NOT_ALLOWED" | "ACCOUNT_NOT_ALLOWED" | "DUPLICATE_PHONE";

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

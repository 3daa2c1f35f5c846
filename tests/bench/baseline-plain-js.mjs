// Baseline (b) of the preparation benchmarks: what a developer would write
// by hand in plain JavaScript for the same job. The same checks as the
// package (types, unknown fields, required/empty, control characters,
// surrounding whitespace, phone normalisation against the ITU calling-code
// table, the 1000-number ceiling, duplicate warnings), regular expressions
// for the text checks, JSON.stringify for the body and node:crypto SHA-1 for
// uSpeedo's signature. Straightforward on purpose: no tricks the package
// could not also use. prepare.mjs checks that it signs exactly what the
// package signs before timing anything.
import { createHash, randomBytes } from "node:crypto";

const ACTION = "SendBatchUSMSMessage";
const MAX_TARGETS = 1000;
const MAX_DIGITS = 15;
const MIN_NATIONAL_DIGITS = 4;

// ITU-T E.164 calling codes (the same table as the package's Rust core).
const CALLING_CODES = new Set(`1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57
58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227
228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254
255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357
358 359 370 371 372 373 374 375 376 377 378 379 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503
504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681
682 683 685 686 687 688 689 690 691 692 800 808 850 852 853 855 856 870 878 880 881 882 883 886 888 960 961
962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 995 996 998`.split(/\s+/));

const ROOT_FIELDS = ["Action", "AccountId", "TaskContent"];
const TASK_FIELDS = ["TemplateId", "SenderId", "Target"];
const TARGET_FIELDS = ["Phone", "TemplateParams", "SenderId", "ExtendCode", "UserId"];

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NOT_PHONE_CHARACTER = /[^0-9 \-.()\t]/;
const SEPARATORS = /[ \-.()\t]/g;
const LEADING_SEPARATORS = /^[ \-.()\t]*/;
const BRACKETED = /^\(([^)]*)\)([\s\S]*)$/;
const NOT_DIGIT = /\D/;

function kind(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return { string: "a string", number: "a number", boolean: "a boolean", object: "an object" }[typeof value] ?? typeof value;
}

const join = (path, field) => (path ? `${path}.${field}` : field);

/** `(CC)national` or plain digits, or { error } with the package's issue code. */
export function normalizePhone(input) {
  const s = input.trim();
  if (s === "") return { error: "EMPTY" };
  let code = "";
  let national;
  const bracketed = s[0] === "(" ? BRACKETED.exec(s) : null;
  if (s[0] === "(") {
    if (!bracketed) return { error: "PHONE_INVALID_CHARACTERS" };
    code = bracketed[1].trim().replace(/^\++/, "");
    if (NOT_DIGIT.test(code)) return { error: "PHONE_INVALID_CHARACTERS" };
    if (!CALLING_CODES.has(code)) return { error: "PHONE_UNKNOWN_COUNTRY_CODE" };
    if (NOT_PHONE_CHARACTER.test(bracketed[2])) return { error: "PHONE_INVALID_CHARACTERS" };
    national = bracketed[2].replace(SEPARATORS, "");
  } else {
    const stripped = s.replace(LEADING_SEPARATORS, "");
    const plus = stripped[0] === "+";
    const rest = plus ? stripped.slice(1) : s;
    if (NOT_PHONE_CHARACTER.test(rest)) return { error: "PHONE_INVALID_CHARACTERS" };
    const digits = rest.replace(SEPARATORS, "");
    const international = plus ? digits : digits.startsWith("00") ? digits.slice(2) : null;
    if (international === null) {
      national = digits;
    } else {
      if (international === "") return { error: "PHONE_TOO_SHORT" };
      if (international.length > MAX_DIGITS) return { error: "PHONE_TOO_LONG" };
      code = [1, 2, 3].map((n) => international.slice(0, n)).find((c) => CALLING_CODES.has(c));
      if (!code) return { error: "PHONE_UNKNOWN_COUNTRY_CODE" };
      national = international.slice(code.length);
    }
  }
  if (code.length + national.length > MAX_DIGITS) return { error: "PHONE_TOO_LONG" };
  if (national.length < MIN_NATIONAL_DIGITS) return { error: "PHONE_TOO_SHORT" };
  return { phone: code ? `(${code})${national}` : national };
}

/** Checks and normalises a request: { errors, warnings, normalized }. */
export function validate(input, { maxTargets = MAX_TARGETS } = {}) {
  const errors = [];
  const warnings = [];
  const issue = (path, code, message) => errors.push({ path, code, message });

  const object = (value, path) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
    issue(path, "WRONG_TYPE", `must be an object, got ${kind(value)}`);
    return null;
  };
  const unknownFields = (value, known, path) => {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const hint = known.find((k) => k.toLowerCase() === key.toLowerCase());
      issue(join(path, key), "UNKNOWN_FIELD", `unknown field "${key}"${hint ? ` (did you mean ${hint}?)` : ""}; it would not be sent`);
    }
  };
  const id = (value, field, path, required) => {
    const s = value[field];
    if (s == null) {
      if (required) issue(join(path, field), "REQUIRED", "is required");
      return undefined;
    }
    if (typeof s !== "string") return void issue(join(path, field), "WRONG_TYPE", `must be a string, got ${kind(s)}`);
    if (s === "") issue(join(path, field), "EMPTY", required ? "must not be empty" : "must not be empty; omit the field instead");
    else if (CONTROL.test(s)) issue(join(path, field), "CONTROL_CHARACTER", "contains a control character");
    else if (s.trim() !== s) issue(join(path, field), "SURROUNDING_WHITESPACE", "has leading or trailing whitespace");
    return s;
  };
  const array = (value, field, path) => {
    const items = value[field];
    if (items == null) return void issue(join(path, field), "REQUIRED", "is required");
    if (!Array.isArray(items)) return void issue(join(path, field), "WRONG_TYPE", `must be an array, got ${kind(items)}`);
    if (items.length === 0) return void issue(join(path, field), "EMPTY", "must not be empty");
    return items;
  };

  const root = object(input, "");
  if (!root) return { errors, warnings, normalized: null };
  unknownFields(root, ROOT_FIELDS, "");
  if (root.Action != null && root.Action !== ACTION) issue("Action", "WRONG_ACTION", `must be "${ACTION}" or omitted`);
  const accountId = root.AccountId;
  if (accountId != null && !(Number.isSafeInteger(accountId) && accountId > 0)) {
    issue("AccountId", "INVALID_ACCOUNT_ID", "must be a positive integer");
  }
  const tasks = array(root, "TaskContent", "") ?? [];
  const total = tasks.reduce((sum, t) => sum + (Array.isArray(t?.Target) ? t.Target.length : 0), 0);
  if (maxTargets != null && total > maxTargets) {
    issue("TaskContent", "TOO_MANY_TARGETS", `has ${total} numbers; one request takes at most ${maxTargets}`);
  }
  const firstSeen = new Map(); // TemplateId + phone -> path of its first target
  const TaskContent = [];
  tasks.forEach((value, i) => {
    const path = `TaskContent[${i}]`;
    const task = object(value, path);
    if (!task) return;
    unknownFields(task, TASK_FIELDS, path);
    const TemplateId = id(task, "TemplateId", path, true);
    const SenderId = id(task, "SenderId", path, false);
    const targets = array(task, "Target", path);
    if (TemplateId === undefined || !targets) return;
    const Target = [];
    targets.forEach((item, j) => {
      const at = `${path}.Target[${j}]`;
      const target = object(item, at);
      if (!target) return;
      unknownFields(target, TARGET_FIELDS, at);
      let phone;
      if (target.Phone == null) issue(join(at, "Phone"), "REQUIRED", "is required");
      else if (typeof target.Phone !== "string") issue(join(at, "Phone"), "WRONG_TYPE", `must be a string, got ${kind(target.Phone)}`);
      else {
        const result = normalizePhone(target.Phone);
        if (result.error) issue(join(at, "Phone"), result.error, `"${target.Phone}" is not a valid phone number`);
        phone = result.phone;
      }
      const params = target.TemplateParams ?? [];
      let paramsOk = Array.isArray(params);
      if (!paramsOk) issue(join(at, "TemplateParams"), "WRONG_TYPE", `must be an array of strings, got ${kind(params)}`);
      else {
        params.forEach((p, k) => {
          if (typeof p === "string") return;
          paramsOk = false;
          issue(`${at}.TemplateParams[${k}]`, "WRONG_TYPE", `must be a string, got ${kind(p)}`);
        });
      }
      const fields = { SenderId: id(target, "SenderId", at, false), ExtendCode: id(target, "ExtendCode", at, false), UserId: id(target, "UserId", at, false) };
      if (phone === undefined || !paramsOk) return;
      const key = `${TemplateId}\u0000${phone}`;
      const first = firstSeen.get(key);
      if (first) warnings.push({ path: join(at, "Phone"), code: "DUPLICATE_PHONE", message: `${phone} already appears for template ${TemplateId} at ${first}` });
      else firstSeen.set(key, at);
      // Field order as the package writes it; empty params are omitted.
      const out = { Phone: phone };
      if (params.length) out.TemplateParams = params;
      for (const [name, v] of Object.entries(fields)) if (v !== undefined) out[name] = v;
      Target.push(out);
    });
    TaskContent.push(SenderId === undefined ? { TemplateId, Target } : { TemplateId, SenderId, Target });
  });
  const normalized = errors.length ? null : accountId == null ? { TaskContent } : { AccountId: accountId, TaskContent };
  return { errors, warnings, normalized };
}

/** uSpeedo's canonical encoding: values only, object keys in sorted order, nulls skipped. */
function encode(value, parts) {
  if (value == null) return;
  if (Array.isArray(value)) for (const item of value) encode(item, parts);
  else if (typeof value === "object") {
    for (const key of Object.keys(value).sort()) {
      if (value[key] == null) continue;
      parts.push(key);
      encode(value[key], parts);
    }
  } else parts.push(String(value)); // only strings and integers occur in a send
}

/** X-Signature: lowercase hex SHA-1 of enc(payload) + privateKey. */
export function sign(payload, privateKey) {
  const parts = [];
  encode(payload, parts);
  return createHash("sha1").update(parts.join("") + privateKey, "utf8").digest("hex");
}

class ValidationError extends Error {
  constructor(errors) {
    super(`invalid request: ${errors[0]?.path} ${errors[0]?.message}`);
    this.issues = errors;
  }
}

/** The plain-JS client: prepare one request, plan a bulk job, send it. */
export function createPlainClient({ publicKey, privateKey, baseUrl, accountId, fetch = globalThis.fetch }) {
  const url = `${baseUrl}${baseUrl.includes("?") ? "&" : "?"}Action=${ACTION}`;

  /** A normalised request to { url, method, headers, body }. */
  function signRequest(request) {
    const payload = { Action: ACTION, ...(request.AccountId ?? accountId ? { AccountId: request.AccountId ?? accountId } : {}), TaskContent: request.TaskContent };
    const body = JSON.stringify(payload);
    const headers = {
      "Content-Type": "application/json",
      "X-Access-Key-Id": publicKey,
      "X-Nonce": randomBytes(16).toString("hex"),
      "X-Signature": sign(payload, privateKey),
      "X-Timestamp": String(Math.floor(Date.now() / 1000)),
    };
    return { url, method: "POST", headers, body };
  }

  function prepare(request) {
    const { errors, normalized } = validate(request);
    if (errors.length) throw new ValidationError(errors);
    return signRequest(normalized);
  }

  /** Validates everything (no 1000 limit) and cuts it into chunks of `chunkSize`. */
  function planBulk(request, { chunkSize = MAX_TARGETS } = {}) {
    const { errors, warnings, normalized } = validate(request, { maxTargets: null });
    if (errors.length) throw new ValidationError(errors);
    const targets = [];
    normalized.TaskContent.forEach((task, i) => {
      task.Target.forEach((target, j) => targets.push({ path: `TaskContent[${i}].Target[${j}]`, task: i, TemplateId: task.TemplateId, SenderId: task.SenderId, target }));
    });
    const chunks = [];
    for (let start = 0; start < targets.length; start += chunkSize) chunks.push(targets.slice(start, start + chunkSize));
    return { accountId: normalized.AccountId, targets, chunks, warnings };
  }

  /** The signed request for one chunk: consecutive targets of one task regrouped. */
  function prepareChunk(plan, index) {
    const TaskContent = [];
    let lastTask = -1;
    for (const t of plan.chunks[index]) {
      if (t.task === lastTask) TaskContent.at(-1).Target.push(t.target);
      else TaskContent.push(t.SenderId === undefined ? { TemplateId: t.TemplateId, Target: [t.target] } : { TemplateId: t.TemplateId, SenderId: t.SenderId, Target: [t.target] });
      lastTask = t.task;
    }
    return signRequest({ AccountId: plan.accountId, TaskContent });
  }

  /** Plans, then sends chunks with `concurrency` in flight; every number is accepted, failed or unknown. */
  async function sendBulk(request, { concurrency = 4, chunkSize } = {}) {
    const plan = planBulk(request, { chunkSize });
    const status = new Array(plan.targets.length);
    const chunkRecords = [];
    let next = 0;
    let offset = 0;
    const offsets = plan.chunks.map((c) => ((offset += c.length), offset - c.length));
    const worker = async () => {
      while (next < plan.chunks.length) {
        const index = next++;
        const prepared = prepareChunk(plan, index);
        const members = plan.chunks[index];
        let outcome;
        try {
          const response = await fetch(prepared.url, { method: "POST", headers: prepared.headers, body: prepared.body });
          const answer = JSON.parse(await response.text());
          outcome = response.ok && answer.RetCode === 0 ? answer : { error: `RetCode ${answer.RetCode}` };
        } catch (error) {
          outcome = { error: String(error), unknown: true };
        }
        const failed = new Set();
        for (const task of outcome.FailContent ?? []) for (const t of task.Target ?? []) failed.add(`${task.TemplateId}\u0000${t.Phone}`);
        const addsUp = !outcome.error && outcome.SuccessCount + failed.size === members.length;
        members.forEach((t, k) => {
          const isFailed = failed.has(`${t.TemplateId}\u0000${t.target.Phone}`);
          status[offsets[index] + k] = outcome.error ? (outcome.unknown ? "unknown" : "failed") : isFailed ? "failed" : addsUp ? "accepted" : "unknown";
        });
        chunkRecords[index] = { index, targets: members.length, SessionNo: outcome.SessionNo ?? null, SuccessCount: outcome.SuccessCount ?? null, failed: failed.size, error: outcome.error ?? null };
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, plan.chunks.length) }, worker));
    // The report: every number in one bucket, with its path and chunk.
    const buckets = { accepted: [], failed: [], unknown: [] };
    plan.targets.forEach((t, i) => buckets[status[i]].push({ path: t.path, TemplateId: t.TemplateId, Phone: t.target.Phone, chunk: Math.floor(i / plan.chunks[0].length) }));
    const totals = { targets: plan.targets.length, accepted: buckets.accepted.length, failed: buckets.failed.length, unknown: buckets.unknown.length, chunks: plan.chunks.length };
    return { totals, ...buckets, chunks: chunkRecords };
  }

  return { prepare, planBulk, prepareChunk, sendBulk };
}

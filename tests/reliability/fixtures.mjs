// Shared by every runtime (Node, and bundled into the Worker): the key pair,
// phone numbers and request builders. No Node built-ins here.

export const PUBLIC_KEY = "pk-reliability-0001";
/** Recognisable, so the leak scan can find it anywhere it might surface. */
export const PRIVATE_KEY = "CANARY-sk-5e1f0a9c-do-not-leak-3b7d4e2f";

/** The proxy's URL as its clients call it (the host never resolves: handlers are called directly). */
export const PROXY_URL = "http://proxy.reliability.test/sms";
export const PROXY_ERROR_HEADER = "X-Uspeedo-Proxy-Error";

/** The normalised form the package sends and the mock records: `(86)139########`. */
export function phone(i) {
  return `(86)139${String(i).padStart(8, "0")}`;
}

/**
 * `count` numbers starting at `offset`, split over `templates` TemplateIds
 * (`UTA0`, `UTA1`, ...), each target with its own parameter.
 */
export function batch(count, { templates = 1, offset = 0, senderId } = {}) {
  const per = Math.ceil(count / templates);
  const TaskContent = [];
  for (let t = 0; t < templates && t * per < count; t++) {
    const n = Math.min(per, count - t * per);
    const task = {
      TemplateId: `UTA${t}`,
      Target: Array.from({ length: n }, (_, i) => ({ Phone: phone(offset + t * per + i), TemplateParams: [String(i % 1000)] })),
    };
    if (senderId) task.SenderId = senderId;
    TaskContent.push(task);
  }
  return { TaskContent };
}

/** `TemplateId|Phone` keys of every target of a request. */
export function requestKeys(request) {
  return (request?.TaskContent ?? []).flatMap((t) => t.Target.map((x) => `${t.TemplateId}|${x.Phone}`));
}

/** Does a mock payload carry this phone anywhere? (fault `match`) */
export function payloadHasPhone(payload, wanted) {
  for (const task of payload?.TaskContent ?? []) {
    for (const target of task?.Target ?? []) if (target?.Phone === wanted) return true;
  }
  return false;
}

/** Bounded wait: rejects after `ms`. */
export function withLimit(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A plain, JSON-safe description of anything thrown. */
export function describeError(error) {
  if (error === null || typeof error !== "object") return { thrown: String(error) };
  const out = { name: error.name, message: String(error.message ?? "") };
  for (const field of ["code", "delivery", "attempts", "status", "retryAfterMs", "retCode", "apiMessage", "requestId", "issueCount"]) {
    if (error[field] !== undefined) out[field] = error[field];
  }
  if (typeof error.bodyExcerpt === "string") out.bodyExcerpt = error.bodyExcerpt.slice(0, 120);
  if (Array.isArray(error.issues)) out.issueCodes = [...new Set(error.issues.map((i) => i.code))];
  return out;
}

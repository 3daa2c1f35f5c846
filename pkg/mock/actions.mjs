// What the mock does with an authenticated-or-not API request once it decides
// to process it: authenticate, dispatch on Action, validate, record.
import { randomUUID } from 'node:crypto';
import { RET, apiError } from './responses.mjs';

export const MAX_PHONES_PER_REQUEST = 1000;
export const MAX_SESSIONS_PER_RECEIPT_QUERY = 100;

const ACTIONS = { SendBatchUSMSMessage: sendBatch, GetUSMSSendReceipt: getSendReceipt, QueryUSMSTemplate: queryTemplate };

/**
 * Processes one request. `ctx` = { state, authenticator, requestId, headers, action }
 * where `action` is the name used in the response's Action field.
 * Returns { body, outcome } with outcome "ok" or "error <RetCode>".
 */
export function processApiRequest(payload, ctx) {
  const body = respond(payload, ctx);
  return { body, outcome: body.RetCode === 0 ? 'ok' : `error ${body.RetCode}` };
}

function respond(payload, ctx) {
  if (!isObject(payload)) return apiError(ctx.action, RET.BAD_BODY);
  const authFailure = ctx.authenticator.check(ctx.headers, payload);
  if (authFailure) return apiError(ctx.action, authFailure);
  if (typeof payload.Action !== 'string' || payload.Action === '') return apiError(ctx.action, RET.MISSING_ACTION);
  const handler = Object.hasOwn(ACTIONS, payload.Action) ? ACTIONS[payload.Action] : null;
  if (!handler) return apiError(ctx.action, RET.UNKNOWN_ACTION, payload.Action);
  return handler(payload, ctx);
}

/** Number of targets a payload carries, counted leniently (for the request log). */
export function countTargets(payload) {
  if (!isObject(payload) || !Array.isArray(payload.TaskContent)) return 0;
  let total = 0;
  for (const task of payload.TaskContent) {
    if (isObject(task) && Array.isArray(task.Target)) total += task.Target.length;
  }
  return total;
}

function sendBatch(payload, { state, requestId }) {
  const action = 'SendBatchUSMSMessage';
  const problem = findSendBatchProblem(payload);
  if (problem) return apiError(action, RET.BAD_PARAMETER, problem);
  const total = countTargets(payload);
  if (total > MAX_PHONES_PER_REQUEST) return apiError(action, RET.TOO_MANY_PHONES, String(total));

  const sessionNo = randomUUID();
  const acceptedHere = [];
  const failContent = [];
  for (const task of payload.TaskContent) {
    const batchInfo = { TemplateId: task.TemplateId, SenderId: task.SenderId ?? '' };
    if (state.templates && !state.templates.has(task.TemplateId)) {
      const Target = task.Target.map((target) => failedTarget(target, ''));
      failContent.push({ ...batchInfo, FailureDetails: 'template not exist', Target });
      continue;
    }
    const failed = [];
    for (const target of task.Target) {
      if (state.blacklist.has(target.Phone)) {
        failed.push(failedTarget(target, 'phone in the black list'));
        continue;
      }
      acceptedHere.push({
        SessionNo: sessionNo,
        TemplateId: task.TemplateId,
        SenderId: target.SenderId ?? task.SenderId ?? '',
        ...targetFields(target),
        requestId,
      });
    }
    if (failed.length > 0) failContent.push({ ...batchInfo, FailureDetails: '', Target: failed });
  }

  for (const record of acceptedHere) state.accepted.push(record);
  if (acceptedHere.length > 0) {
    state.sessions.set(sessionNo, { acceptedAtMs: state.now(), records: acceptedHere });
  }
  return {
    RetCode: 0,
    Action: `${action}Response`,
    Message: 'submit success',
    ...(acceptedHere.length > 0 ? { SessionNo: sessionNo } : {}),
    ReqUuid: requestId,
    SuccessCount: acceptedHere.length,
    FailContent: failContent,
  };
}

// Absent optional fields come back as the real (Go) server's zero values.
function targetFields(target) {
  return {
    Phone: target.Phone,
    TemplateParams: target.TemplateParams ?? [],
    ExtendCode: target.ExtendCode ?? '',
    UserId: target.UserId ?? '',
  };
}

function failedTarget(target, reason) {
  return { ...targetFields(target), FailureDetails: reason, Invalid: false };
}

/** Path of the first missing or mistyped field, or null when the payload is well-formed. */
function findSendBatchProblem(payload) {
  const tasks = payload.TaskContent;
  if (!Array.isArray(tasks) || tasks.length === 0) return 'TaskContent';
  for (const [t, task] of tasks.entries()) {
    const at = `TaskContent[${t}]`;
    if (!isObject(task)) return at;
    if (!isNonEmptyString(task.TemplateId)) return `${at}.TemplateId`;
    if (!isOptionalString(task.SenderId)) return `${at}.SenderId`;
    if (!Array.isArray(task.Target) || task.Target.length === 0) return `${at}.Target`;
    for (const [i, target] of task.Target.entries()) {
      const targetAt = `${at}.Target[${i}]`;
      if (!isObject(target)) return targetAt;
      if (!isNonEmptyString(target.Phone)) return `${targetAt}.Phone`;
      for (const field of ['SenderId', 'ExtendCode', 'UserId']) {
        if (!isOptionalString(target[field])) return `${targetAt}.${field}`;
      }
      const params = target.TemplateParams;
      if (params != null && !(Array.isArray(params) && params.every((p) => typeof p === 'string'))) {
        return `${targetAt}.TemplateParams`;
      }
    }
  }
  return null;
}

function getSendReceipt(payload, { state }) {
  const action = 'GetUSMSSendReceipt';
  const sessionNos = payload.SessionNoSet;
  if (!Array.isArray(sessionNos) || sessionNos.length === 0 || !sessionNos.every(isNonEmptyString)) {
    return apiError(action, RET.BAD_PARAMETER, 'SessionNoSet');
  }
  if (sessionNos.length > MAX_SESSIONS_PER_RECEIPT_QUERY) {
    return apiError(action, RET.TOO_MANY_SESSIONS, String(sessionNos.length));
  }
  const Data = sessionNos.map((SessionNo) => {
    const session = state.sessions.get(SessionNo);
    if (!session) return { SessionNo, ReceiptSet: [] };
    const ReceiptTime = Math.floor(session.acceptedAtMs / 1000);
    const pending = state.now() - session.acceptedAtMs < state.receiptDelayMs;
    const ReceiptSet = session.records.map(({ Phone, UserId }) => (pending
      ? { Phone, CostCount: 0, ReceiptResult: 'Unknow', ReceiptCode: '', ReceiptDesc: '', ReceiptTime: 0, UserId }
      : state.undeliverable.has(Phone)
      ? { Phone, CostCount: 1, ReceiptResult: 'Fail', ReceiptCode: 'UNDELIV', ReceiptDesc: 'undeliverable', ReceiptTime, UserId }
      : { Phone, CostCount: 1, ReceiptResult: 'Success', ReceiptCode: 'DELIVRD', ReceiptDesc: 'delivered', ReceiptTime, UserId }));
    return { SessionNo, ReceiptSet };
  });
  return { RetCode: 0, Action: `${action}Response`, Message: 'success', Data };
}

function queryTemplate(payload, { state }) {
  const action = 'QueryUSMSTemplate';
  const ids = payload.TemplateId;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every(isNonEmptyString)) {
    return apiError(action, RET.BAD_PARAMETER, 'TemplateId');
  }
  const Data = ids.filter((id) => state.templateInfo.has(id)).map((TemplateId) => {
    const { Template, Status, TemplateName } = state.templateInfo.get(TemplateId);
    return {
      TemplateId, Purpose: 1, TemplateName, Template, Status,
      Remark: '', ErrDesc: Status === 3 ? 'rejected by review' : '', CreateTime: 1700000000,
    };
  });
  return { RetCode: 0, Action: `${action}Response`, Message: 'success', Data };
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value) {
  return typeof value === 'string' && value !== '';
}

function isOptionalString(value) {
  return value == null || typeof value === 'string';
}

// The stand-alone functions: validation, signing and preview. Each converts
// its input to JSON and lets the Rust core decide everything.

import { UspeedoError, throwIfError } from "./errors.js";
import { notJsonIssue, stringify } from "./json.js";
import { callJson } from "./wasm.js";

/** Checks a batch without sending it. Never throws for bad input. */
export function validateBatch(request, options = {}) {
  const requestJson = stringify(request);
  const optionsJson = stringify(options ?? {});
  if (requestJson === null || optionsJson === null) {
    const issue = notJsonIssue(requestJson === null ? "the request" : "the options");
    return { ok: false, errors: [issue], errorCount: 1, warnings: [], warningCount: 0, normalized: null };
  }
  return callJson("validateJson", requestJson, optionsJson);
}

/** The X-Signature of any payload (hex SHA-1 per uSpeedo's algorithm). */
export function signPayload(payload, privateKey) {
  if (typeof privateKey !== "string" || privateKey === "") {
    throw new UspeedoError({ code: "CONFIG", delivery: "not_sent", message: "privateKey must be a non-empty string" });
  }
  const payloadJson = stringify(payload);
  if (payloadJson === null) {
    const issue = notJsonIssue("the payload");
    throw new UspeedoError({ code: "VALIDATION", delivery: "not_sent", message: issue.message, issues: [issue], issueCount: 1 });
  }
  return throwIfError(callJson("signJson", payloadJson, privateKey)).signature;
}

/** Renders a template with its parameters and counts characters and SMS parts. */
export function previewMessage(templateText, params = []) {
  if (typeof templateText !== "string") {
    throw new UspeedoError({ code: "VALIDATION", delivery: "not_sent", message: "templateText must be a string" });
  }
  const paramsJson = stringify(params) ?? "0";
  return throwIfError(callJson("previewJson", templateText, paramsJson)).preview;
}

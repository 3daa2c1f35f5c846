// Shared fixtures for the Node package tests: the built package, the mock
// uSpeedo server, a recognisable key pair and request builders.
import assert from "node:assert/strict";
import * as sms from "../../pkg/dist/node.mjs";
import { startMockServer } from "../../pkg/mock/server.mjs";

export { sms };

export const PUBLIC_KEY = "pk-test-0001";
/** Recognisable, so the secret-leak checks can search for it. */
export const PRIVATE_KEY = "SECRET-do-not-leak-7f3a9c";

/** The `UspeedoError` a promise rejects with, checked to hold no secret. */
export async function rejects(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof sms.UspeedoError, `expected UspeedoError, got ${error}`);
    assert.ok(!containsSecret(error), "the private key leaked into an error");
    return error;
  }
  assert.fail("expected a rejection");
}

export function startMock(options = {}) {
  return startMockServer({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, ...options });
}

/** `count` numbers over `templates` templates, each with its own parameter. */
export function batch(count, { templates = 1, prefix = "+86 139" } = {}) {
  const per = Math.ceil(count / templates);
  const TaskContent = [];
  for (let t = 0; t < templates && t * per < count; t++) {
    const n = Math.min(per, count - t * per);
    TaskContent.push({
      TemplateId: `UTA${t}`,
      Target: Array.from({ length: n }, (_, i) => ({
        Phone: `${prefix}${String(t * per + i).padStart(8, "0")}`,
        TemplateParams: [String(i)],
      })),
    });
  }
  return { TaskContent };
}

/** The normalised form of the i-th phone of `batch()`. */
export function phoneOf(i, code = "86", national = "139") {
  return `(${code})${national}${String(i).padStart(8, "0")}`;
}

/** Every string reachable from `value` (own properties, nested, stack). */
export function containsSecret(value, secret = PRIVATE_KEY, seen = new Set()) {
  if (value == null) return false;
  if (typeof value === "string") return value.includes(secret);
  if (typeof value !== "object" || seen.has(value)) return false;
  seen.add(value);
  if (value instanceof Error && containsSecret(value.stack, secret, seen)) return true;
  for (const key of Reflect.ownKeys(value)) {
    const v = Object.getOwnPropertyDescriptor(value, key)?.value;
    if (containsSecret(v, secret, seen)) return true;
  }
  return containsSecret(safeStringify(value), secret, seen);
}

function safeStringify(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return "";
  }
}

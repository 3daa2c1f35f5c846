// Bulk sending: the Rust core plans the job (validation over the whole
// input, chunks of ≤ 1000) and accounts for every number; this loop only
// sends chunks with bounded concurrency, an optional rate ceiling, the
// caller's signal and a deadline.

import { UspeedoError } from "./errors.js";
import { nonce, send, sleep } from "./transport.js";
import { guard } from "./wasm.js";

/** Spaces request starts at least `intervalMs` apart. */
function rateLimiter(intervalMs) {
  let next = 0;
  return async (signal) => {
    if (!intervalMs) return;
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + intervalMs;
    if (at > now) await sleep(at - now, signal);
  };
}

/**
 * Runs a bulk job. `client` provides `{ config, sendContext(signal) }`.
 * Resolves to the report, also when aborted or past the deadline.
 */
export async function runBulk(client, job, options) {
  const controller = new AbortController();
  let stopReason = null; // "aborted" | "deadline" | "stopped"
  const stop = (why) => {
    if (!stopReason) stopReason = why;
    if (why !== "stopped") controller.abort();
  };
  const onAbort = () => stop("aborted");
  let deadlineTimer;
  try {
    const settings = guard(() => job.settings());
    const total = guard(() => job.chunkCount());
    if (options.signal?.aborted) stop("aborted");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (settings.deadlineMs) deadlineTimer = setTimeout(() => stop("deadline"), settings.deadlineMs);
    const limit = rateLimiter(settings.ratePerSecondMilli ? 1e6 / settings.ratePerSecondMilli : 0);
    const progress = () => {
      if (!options.onProgress) return;
      try {
        options.onProgress(guard(() => job.progress()));
      } catch {
        // A failing progress callback must not lose the report.
      }
    };
    let next = 0;
    const sendChunk = async (index) => {
      try {
        await limit(controller.signal);
      } catch {
        guard(() => job.recordNotAttempted(index, stopReason ?? "aborted"));
        return;
      }
      if (stopReason) {
        guard(() => job.recordNotAttempted(index, stopReason));
        return;
      }
      let reply;
      try {
        reply = guard(() => job.prepareChunk(index, Math.floor(Date.now() / 1000), nonce()));
      } catch (error) {
        if (!(error instanceof UspeedoError)) throw error;
        if (guard(() => job.recordError(index, error.toJSON()))) stop("stopped");
        return;
      }
      let result;
      try {
        result = await send(reply.prepared, client.sendContext(controller.signal, reply.accountId));
      } catch (error) {
        if (!(error instanceof UspeedoError)) throw error;
        if (guard(() => job.recordError(index, error.toJSON()))) stop("stopped");
        return;
      }
      guard(() => job.recordResult(index, result));
    };
    const worker = async () => {
      while (next < total) {
        const index = next++;
        if (stopReason) guard(() => job.recordNotAttempted(index, stopReason));
        else await sendChunk(index);
        progress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, Math.max(total, 1)) }, worker));
    return guard(() => job.report(settings.resendUnknown));
  } finally {
    clearTimeout(deadlineTimer);
    options.signal?.removeEventListener("abort", onAbort);
    job.free();
  }
}

// The campaign's wasm calls, guarded like every other call (a panic becomes
// an INTERNAL error and a fresh instance). Server builds only: the browser
// glue has none of these.
import {
  CampaignCore, ledgerCancel, ledgerClaim, ledgerDelivery, ledgerProgress, ledgerRecord, ledgerReport, ledgerTrack,
  ledgerTrackWanted,
} from "../../generated/uspeedo_sms.js";
import { guard, lasting, savedOptions } from "../wasm.js";

/** `lists`: { chunks, states, dropped, deliveries }, each the stored texts in key order. */
export const steps = {
  claim: (meta, state, key, nowMs) => guard(() => ledgerClaim(meta, state, key, nowMs)),
  record: (meta, state, token, outcome) => guard(() => ledgerRecord(meta, state, token, outcome)),
  cancel: (meta) => guard(() => ledgerCancel(meta)),
  progress: (meta, states) => guard(() => ledgerProgress(meta, states, Date.now())),
  report: (meta, l, status, asking) =>
    guard(() => ledgerReport(meta, l.chunks, l.states, l.dropped, l.deliveries, status, asking, Date.now())),
  delivery: (meta, l, status, asking) =>
    guard(() => ledgerDelivery(meta, l.chunks, l.states, l.dropped, l.deliveries, status, asking, Date.now())),
  trackWanted: (meta, states, deliveries) => guard(() => ledgerTrackWanted(meta, states, deliveries)),
  /** One round of receipts, signed with `clientOptions`: a promise of `{ records, status, nextInMs }`. */
  track: (clientOptions, meta, states, chunks, deliveries, status) =>
    guard(() => ledgerTrack(savedOptions(clientOptions), meta, states, chunks, deliveries, status)),
};

/** Client options (as `new Client` takes them), checked once, kept in Rust. */
export function campaignCore(options) {
  const saved = savedOptions(options);
  const core = lasting(() => new CampaignCore(saved));
  guard(core);
  return core;
}

/** Plans `request` into a job's records; nothing is sent. */
export function planCampaign(clientOptions, request, options = {}, jobId = crypto.randomUUID()) {
  const core = campaignCore(clientOptions);
  return guard(() => core().plan(request, options, String(jobId)));
}

/** What a consumer sends with: `send(chunkText)` resolves to an outcome, never throws for a failed send. */
export function campaignSender(clientOptions) {
  const core = campaignCore(clientOptions);
  return { send: (chunk) => guard(() => core().sendChunk(chunk)) };
}

// One chunk's message: claim → (wait for the rate slot) → send → record.
// The answer says what to do with the message: ack, or retry after a delay
// (only when the ledger knows nothing was sent).

import { createJobRecords } from "./records.js";

export { createJobRecords };

/** `ledger`: the contract (a MemoryLedger, a Durable Object stub, ...); `sender`: `campaignSender(options)`. */
export async function runChunk({ ledger, sender }, { index, key }) {
  const claim = await ledger.claim(index, key);
  if (claim.action !== "send") return { action: "ack", reason: claim.reason };
  if (claim.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, claim.waitMs));
  const outcome = await sender.send(claim.chunk);
  return ledger.record(index, claim.token, outcome);
}

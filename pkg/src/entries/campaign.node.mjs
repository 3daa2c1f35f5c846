// `uspeedo-sms/campaign` in Node: the ledger contract, its in-memory
// implementation and the per-chunk step, for a queue of your own.
import { readFileSync } from "node:fs";
import { setWasmSource } from "../wasm.js";

setWasmSource(() => readFileSync(new URL("./uspeedo_sms_campaign_bg.wasm", import.meta.url)));

export { campaignSender, planCampaign } from "../campaign/core.js";
export { Ledger, MemoryLedger } from "../campaign/ledger.js";
export { createJobRecords, runChunk } from "../campaign/run.js";

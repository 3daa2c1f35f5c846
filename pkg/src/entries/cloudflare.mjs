// `uspeedo-sms/cloudflare`: campaigns on Queues with a Durable Object ledger.
import wasmModule from "./uspeedo_sms_campaign_bg.wasm";
import { setWasmSource } from "../wasm.js";

setWasmSource(() => wasmModule);

export { CampaignLedger, campaignLedger, queueConsumer, startCampaign } from "../campaign/cloudflare.js";
export { campaignSender, planCampaign } from "../campaign/core.js";
export { Ledger, MemoryLedger } from "../campaign/ledger.js";
export { createJobRecords, runChunk } from "../campaign/run.js";

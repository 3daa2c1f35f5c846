// Node, ES modules: the .wasm file sits beside this one.
import { readFileSync } from "node:fs";
import { setWasmSource } from "../wasm.js";

setWasmSource(() => readFileSync(new URL("./uspeedo_sms_bg.wasm", import.meta.url)));

export * from "../index.js";
export { toNodeHandler } from "../node-handler.js";

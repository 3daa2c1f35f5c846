// Node, CommonJS (bundled to dist/node.cjs): the .wasm file sits beside it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setWasmSource } from "../wasm.js";

setWasmSource(() => readFileSync(join(__dirname, "uspeedo_sms_bg.wasm")));

export * from "../index.js";
export { toNodeHandler } from "../node-handler.js";

// Test build only (tests/output/panic-build): the Node entry plus a way to
// force a panic inside the wasm, for the panic-safety test.
import { readFileSync } from "node:fs";
import { forcePanic, forcePanicLater } from "../generated/uspeedo_sms.js";
import { guard, setWasmSource } from "../wasm.js";

setWasmSource(() => readFileSync(new URL("./uspeedo_sms_bg.wasm", import.meta.url)));

export * from "../index.js";

export function __forcePanic() {
  return guard(() => forcePanic());
}

export function __forcePanicLater() {
  return guard(() => forcePanicLater());
}

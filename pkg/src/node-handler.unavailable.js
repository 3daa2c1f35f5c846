// Workers and browsers have no `http` server to mount: there the proxy
// handler is already what the platform calls.
import { configError } from "./errors.js";

export function toNodeHandler() {
  throw configError("toNodeHandler is for Node's http server; in Workers export the proxy handler as your fetch");
}

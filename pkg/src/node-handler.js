// Mounts a Fetch-API handler (the signing proxy) on Node's `http` server:
// the one thing here that only JS can do. It checks the Host (a
// DNS-rebinding page reaches 127.0.0.1 under its own name) and the Origin
// (cross-site requests), never lets a malformed request throw out of the
// server, and answers every refusal with the proxy's own JSON (made in
// Rust, like all its refusals).

import { Readable } from "node:stream";
import { ProxyCore } from "../generated/uspeedo_sms.js";
import { configError } from "./errors.js";
import { guard } from "./wasm.js";

function stringList(value, name) {
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
    throw configError(`${name} must be an array of non-empty strings`);
  }
  return new Set(value.map((v) => v.toLowerCase()));
}

async function write(res, response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

/**
 * `toNodeHandler(handler, { allowedHosts, allowedOrigins? })` →
 * `(req, res) => Promise<void>` for `http.createServer`. `allowedHosts`:
 * the `Host` values the server answers to (`"127.0.0.1:8080"`,
 * `"sms.example.com"`). `allowedOrigins`: the origins whose pages may call
 * it (default: `http://` and `https://` of each allowed host); requests
 * without an `Origin` (same-origin GETs, server-to-server) pass.
 */
export function toNodeHandler(handler, options = {}) {
  if (typeof handler !== "function") throw configError("toNodeHandler needs the handler from createProxyHandler");
  if (options === null || typeof options !== "object") throw configError("toNodeHandler options must be an object");
  const hosts = stringList(options.allowedHosts, "allowedHosts");
  if (!hosts || hosts.size === 0) {
    throw configError("toNodeHandler needs allowedHosts (the Host values this server answers to), "
      + "so that a DNS-rebinding page cannot reach it under another name");
  }
  const origins = stringList(options.allowedOrigins, "allowedOrigins")
    ?? new Set([...hosts].flatMap((h) => [`http://${h}`, `https://${h}`]));
  const refuse = (kind) => guard(() => ProxyCore.refuse(kind));

  return async function nodeHandler(req, res) {
    try {
      const host = (req.headers.host ?? "").toLowerCase();
      if (!hosts.has(host)) return await write(res, refuse("host"));
      const origin = req.headers.origin;
      if (origin !== undefined && !origins.has(String(origin).toLowerCase())) return await write(res, refuse("origin"));
      let request;
      try {
        // Node streams a body only with `duplex: "half"`; GET and HEAD have none.
        const body = req.method === "GET" || req.method === "HEAD" ? undefined : Readable.toWeb(req);
        request = new Request(new URL(req.url, `http://${host}`), { method: req.method, headers: req.headers, body, duplex: "half" });
      } catch {
        return await write(res, refuse("unreadable"));
      }
      await write(res, await handler(request));
    } catch {
      // The proxy answers its own failures; anything else must not end the server.
      if (!res.headersSent) {
        try {
          return await write(res, refuse("unreadable"));
        } catch {
          // fall through to closing the connection
        }
      }
      res.destroy();
    }
  };
}

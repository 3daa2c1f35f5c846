// A tiny static server on 127.0.0.1 for the browser fixtures: files from
// `root` (and `mounts`), `/config.json` from `handle.config`, and `/api`
// forwarded to the mock, so the page calls the API on its own origin (the mock
// sends no CORS headers).
import { createReadStream, statSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".json": "application/json", ".wasm": "application/wasm", ".css": "text/css",
};

function fileFor(base, relative) {
  const path = normalize(join(base, decodeURIComponent(relative)));
  if (path !== base && !path.startsWith(base + sep)) return null;
  try {
    return statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

function forward(req, res, target) {
  const url = new URL(target);
  const headers = { ...req.headers, host: url.host };
  const upstream = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + new URL(req.url, "http://x").search, method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", () => res.destroy());
  // The page gave up (e.g. the client's timeout): drop the upstream request too.
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}

export async function startStaticServer({ root, mounts = {}, apiTarget, config = null }) {
  const handle = { config, origin: "", close: null };
  const sockets = new Set();
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, "http://x");
    if (pathname === "/api") return forward(req, res, apiTarget);
    if (pathname === "/config.json") {
      res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
      return res.end(JSON.stringify(handle.config));
    }
    const mount = Object.keys(mounts).find((m) => pathname.startsWith(m));
    const path = mount ? fileFor(mounts[mount], pathname.slice(mount.length)) : fileFor(root, pathname.slice(1));
    if (req.method !== "GET" || !path) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end(`not found: ${req.method} ${pathname}`);
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  handle.origin = `http://127.0.0.1:${server.address().port}`;
  handle.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  };
  return handle;
}

// A tiny server on 127.0.0.1 for the browser fixtures, standing in for the
// app's own server: static files from `root` (and `mounts`), `/config.json`
// from `handle.config`, and the signing proxy at `/sms` (createProxyHandler
// from the package installed in `appDir`), so the page never holds a key.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { extname, join, normalize, sep } from "node:path";
import { Readable } from "node:stream";

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

// ---- node:http -> Fetch API handler: the lines a Node server needs --------
/** Serves a Fetch-API handler `(Request) => Promise<Response>` on a node:http request. */
async function serveFetch(handler, req, res) {
  // The incoming message as a web Request. Node streams a request body only
  // with `duplex: "half"`; GET and HEAD may not have one.
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : Readable.toWeb(req);
  const request = new Request(new URL(req.url, `http://${req.headers.host}`), {
    method: req.method, headers: req.headers, body, duplex: "half",
  });
  // The Response back: status, headers, body.
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
// ---------------------------------------------------------------------------

/**
 * `appDir`: the fixture folder the tarball is installed in; the proxy comes
 * from there by the package's name. By require(), so Node's node entry is
 * dist/node.cjs: Node 20 cannot `import` a bare name on behalf of another
 * folder without a flag, and this file sits outside the fixtures.
 * `proxyOptions`: createProxyHandler's options (keys, baseUrl, allowTemplates...).
 */
export async function startStaticServer({ root, mounts = {}, appDir, proxyOptions, config = null }) {
  const require = createRequire(join(appDir, "package.json"));
  const { createProxyHandler } = require("uspeedo-sms");
  const smsProxy = createProxyHandler(proxyOptions);
  // `proxyRequests` lets the page (GET /proxy-stats.json) and run.mjs see
  // how many requests reached the proxy: validation must stop bad input in
  // the page, and nothing may be retried behind the caller's back.
  const handle = { config, origin: "", proxyRequests: 0, proxyLoaded: require.resolve("uspeedo-sms"), close: null };
  const sockets = new Set();
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, "http://x");
    if (pathname === "/sms") {
      handle.proxyRequests++;
      return serveFetch(smsProxy, req, res).catch((error) => {
        // The proxy answers its own refusals; a throw is a bug worth seeing.
        console.error(`proxy threw: ${error?.stack ?? error}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    }
    if (pathname === "/config.json" || pathname === "/proxy-stats.json") {
      const data = pathname === "/config.json" ? handle.config : { requests: handle.proxyRequests };
      res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
      return res.end(JSON.stringify(data));
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

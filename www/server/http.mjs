// node:http plumbing for the demo server: JSON and text answers and a small
// static file server (the proxy is mounted with the package's toNodeHandler).
import { readFile, realpath, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  // Browsers only stream-compile WebAssembly served with this exact type.
  ".wasm": "application/wasm",
};

/**
 * Headers for every demo answer: the page may not be framed, loads only its
 * own scripts (the inline import map by its hash; WebAssembly compiled with
 * 'wasm-unsafe-eval'), and sends no referrer.
 */
export function securityHeaders(importMapHash) {
  return {
    "Content-Security-Policy": [
      "default-src 'self'", `script-src 'self' 'sha256-${importMapHash}' 'wasm-unsafe-eval'`,
      "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "object-src 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  };
}

export function sendJson(res, status, data) {
  res.writeHead(status, { "Content-Type": TYPES[".json"], "Cache-Control": "no-store" });
  res.end(JSON.stringify(data));
}

export function sendText(res, status, text) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(text);
}

/**
 * A file server for one folder. Only the listed extensions are served, so
 * the folder may hold other things (the demo's own server code, scripts)
 * that the page has no business reading.
 */
export function staticFolder(root, { extensions = Object.keys(TYPES), exclude = [] } = {}) {
  const base = normalize(root);
  return async function serveFile(relative, req, res) {
    let path;
    try {
      path = normalize(join(base, decodeURIComponent(relative)));
    } catch {
      return false; // malformed %-escape
    }
    // `join` resolves "..": anything that lands outside the folder is not ours.
    if (!path.startsWith(base + sep)) return false;
    if (!extensions.includes(extname(path))) return false;
    if (exclude.some((folder) => path.startsWith(join(base, folder) + sep))) return false;
    try {
      // A symbolic link inside the folder may point anywhere: the file is
      // served only if its real path is inside the folder's real path.
      const [real, realBase] = await Promise.all([realpath(path), realpath(base)]);
      if (!real.startsWith(realBase + sep)) return false;
      if (!(await stat(real)).isFile()) return false;
      const bytes = await readFile(real);
      // no-cache: a rebuilt package or an edited page shows on the next reload.
      res.writeHead(200, { "Content-Type": TYPES[extname(path)], "Cache-Control": "no-cache" });
      res.end(req.method === "HEAD" ? undefined : bytes);
      return true;
    } catch {
      return false;
    }
  };
}

// The workerd runtime under test: a Worker that imports the package by its
// name (bundled as wrangler would: the `workerd` export condition, the .wasm
// kept as a CompiledWasm module) and runs what run.mjs asks, like
// node-surface.mjs does in Node:
//   POST /op             { op, spec } -> { ok, value | error }
//   any  /abuse/<name>   the signing proxy set up by the `abuseSetup` op,
//                        served as the Worker's own fetch (the abusive
//                        request arrives through workerd's HTTP layer)
import * as sms from "uspeedo-sms";
import { runCase } from "../surfaces.mjs";
import { captureConsole, needles, scanText, selfTest } from "../leak-scan.mjs";
import { abuseProxy, runAbuseCase, runAbuseConcurrent } from "../proxy-abuse.mjs";
import { runLoadRound } from "../load.mjs";

const capture = captureConsole();
const proxies = new Map();

const memory = () => ({ wasm: sms.wasmMemoryBytes() });

const ops = {
  hello: ({ privateKey }) => ({
    runtime: `workerd (${navigator.userAgent})`,
    selfTest: selfTest(needles(privateKey), privateKey),
  }),
  case: (spec) => runCase(sms, spec),
  control: ({ marker }) => {
    console.log(marker);
    console.error(marker);
    return { printed: true };
  },
  console: ({ privateKey, since = 0 }) => {
    const lines = capture.lines.slice(since);
    const hits = lines.flatMap((line, i) => scanText(line, needles(privateKey), `console line ${since + i}`));
    return { lines: lines.length, total: capture.lines.length, hitCount: hits.length, hits: hits.slice(0, 5) };
  },
  abuseSetup: (spec) => {
    proxies.set(spec.name, abuseProxy(sms, spec));
    return { ok: true };
  },
  /**
   * A case built inside the Worker and handed to the proxy as a Request, for
   * uploads larger than the proxy's limit: undici (dispatchFetch) cannot show
   * an early answer to an upload it is still writing (it reports ECONNRESET
   * instead of the 413, depending on timing).
   */
  abuseLocal: ({ name, caseId, privateKey }) =>
    runAbuseCase(proxies.get(name).handler, caseId, (url, init) => new Request(url, init), needles(privateKey)),
  abuseConcurrent: ({ name, count, mixed, base }) =>
    runAbuseConcurrent(proxies.get(name).handler, { count, mixed, base }, (url, init) => new Request(url, init)),
  pollution: () => ({ polluted: ({}).polluted !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, "polluted") }),
  load: (spec) => runLoadRound(sms, spec, { memory }),
  memory: () => memory(),
};

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/abuse/")) {
      const proxy = proxies.get(pathname.slice("/abuse/".length));
      if (!proxy) return new Response("no such proxy", { status: 404 });
      return proxy.handler(request);
    }
    if (pathname === "/op" && request.method === "POST") {
      const { op, spec } = await request.json();
      try {
        return Response.json({ ok: true, value: await ops[op](spec ?? {}) });
      } catch (error) {
        return Response.json({ ok: false, error: String(error?.stack ?? error) });
      }
    }
    return new Response("not found", { status: 404 });
  },
};

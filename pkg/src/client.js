// `Client`: sends batches to uSpeedo directly (key pair) or through the
// signing proxy (`proxyUrl`, for browsers). The options are checked once,
// by the Rust core (`ClientCore`); the private key lives only in there.

import { UspeedoError } from "./errors.js";
import { runBulk } from "./bulk.js";
import { nonce, send, withFreshStamp } from "./transport.js";
import { clientCore, guard, lasting } from "./wasm.js";

const FUNCTION_OPTIONS = ["fetch", "onRequest", "onResponse"];

export function configError(message) {
  return new UspeedoError({ code: "CONFIG", delivery: "not_sent", message });
}

/** The data options of sendBulk/planBulk (functions and the signal stay here). */
function bulkData(options) {
  if (options === null || typeof options !== "object") throw configError("bulk options must be an object");
  const { signal, onProgress, ...data } = options;
  if (onProgress !== undefined && typeof onProgress !== "function") throw configError("onProgress must be a function");
  return data;
}

/** What the proxy needs from a client; kept out of the public surface. */
const internals = new WeakMap();

export function clientInternals(client) {
  return internals.get(client);
}

export class Client {
  #core;
  #settings;
  #fetch;
  #hooks;

  constructor(options = {}) {
    if (options === null || typeof options !== "object") throw configError("options must be an object");
    const data = {};
    for (const [key, value] of Object.entries(options)) {
      if (FUNCTION_OPTIONS.includes(key)) {
        if (value !== undefined && typeof value !== "function") throw configError(`${key} must be a function`);
      } else {
        data[key] = value;
      }
    }
    // Checked once, here (a bad option throws now); made again from the
    // same options only if a panic re-created the instance.
    this.#core = lasting(() => clientCore(data));
    this.#settings = guard(() => this.#core().settings());
    const custom = options.fetch;
    // Looked up at call time, and called unbound: some runtimes reject
    // `fetch` called with a foreign `this`.
    this.#fetch = custom ?? ((url, init) => globalThis.fetch(url, init));
    this.#hooks = { onRequest: options.onRequest, onResponse: options.onResponse };
    internals.set(this, {
      settings: this.#settings,
      core: () => this.#core(),
      sendContext: (signal, accountId) => this.#sendContext({ signal }, accountId),
    });
  }

  /**
   * A client from environment variables: USPEEDO_PUBLIC_KEY,
   * USPEEDO_PRIVATE_KEY, USPEEDO_API_BASE_URL, USPEEDO_ACCOUNT_ID. Pass a
   * Worker's `env` as `env`; in Node `process.env` is the default.
   */
  static fromEnv(env, overrides = {}) {
    const source = env ?? globalThis.process?.env ?? {};
    const fromEnv = {
      publicKey: source.USPEEDO_PUBLIC_KEY,
      privateKey: source.USPEEDO_PRIVATE_KEY,
      baseUrl: source.USPEEDO_API_BASE_URL || undefined,
      accountId: source.USPEEDO_ACCOUNT_ID || undefined,
    };
    return new Client({ ...fromEnv, ...overrides });
  }

  /** Validated, normalised and signed, but not sent: `{ url, method, headers, body }`. */
  async prepare(request) {
    return this.#prepare(request).prepared;
  }

  /** Exactly one API call (≤ 1000 numbers). */
  async sendBatch(request, options = {}) {
    if (options === null || typeof options !== "object") throw configError("sendBatch options must be an object");
    const { signal, ...data } = options;
    const timeoutMs = guard(() => this.#core().callTimeout(data));
    const { prepared, accountId } = this.#prepare(request);
    return send(prepared, this.#sendContext({ signal, timeoutMs }, accountId));
  }

  /** The plan for any number of recipients: chunks and counts; nothing is sent. */
  planBulk(request, options = {}) {
    const data = bulkData(options);
    return guard(() => this.#core().planBulk(request, data));
  }

  /**
   * Sends any number of recipients in requests of at most 1000 and resolves
   * to a report that accounts for every number, also when aborted.
   */
  async sendBulk(request, options = {}) {
    const data = bulkData(options);
    return runBulk(internals.get(this), guard(() => this.#core().bulkJob(request, data)), options);
  }

  #sendContext(options, accountId) {
    const settings = this.#settings;
    return {
      fetch: this.#fetch,
      hooks: this.#hooks,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? settings.timeoutMs,
      maxRetries: settings.maxRetries,
      accountId: accountId ?? undefined,
      refresh: withFreshStamp,
      extraHeaders: settings.headers,
      userAgent: settings.userAgent,
    };
  }

  #prepare(request) {
    const timestamp = Math.floor(Date.now() / 1000);
    return guard(() => this.#core().prepare(request, timestamp, nonce()));
  }

  /** What is safe to show: the settings without the private key. */
  toJSON() {
    return { ...this.#settings };
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `Client ${JSON.stringify(this.toJSON())}`;
  }
}

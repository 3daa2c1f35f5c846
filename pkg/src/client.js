// `Client`: sends batches to uSpeedo directly (key pair) or through the
// signing proxy (`proxyUrl`, for browsers). Everything happens in the Rust
// core (`ClientCore`): options checked once, validation, signing, sending
// through fetch, retries, bulk jobs. The private key lives only in there.

import { guard, lasting, clientCore, savedOptions } from "./wasm.js";

export class Client {
  #core;
  #settings;

  constructor(options = {}) {
    const saved = savedOptions(options);
    // Checked once, here (a bad option throws now); made again from the
    // same options when the instance is replaced (a panic, or memory given
    // back), with the templates it had learnt.
    this.#core = lasting(
      (learnt) => {
        const core = clientCore(saved);
        if (learnt !== undefined) guard(() => core.relearn(learnt));
        return core;
      },
      (core) => core.learnt(),
    );
    this.#settings = guard(() => this.#core().settings());
  }

  /**
   * A client from environment variables: USPEEDO_PUBLIC_KEY,
   * USPEEDO_PRIVATE_KEY, USPEEDO_API_BASE_URL, USPEEDO_ACCOUNT_ID. Pass a
   * Worker's `env` as `env`; in Node `process.env` is the default.
   */
  static fromEnv(env, overrides = {}) {
    return new Client({ ...optionsFromEnv(env), ...overrides });
  }

  /** Validated, normalised and signed, but not sent: `{ url, method, headers, body }`. */
  async prepare(request, options = {}) {
    return this.#learning(() => this.#core().prepare(request, options));
  }

  /** Exactly one API call (≤ 1000 numbers). */
  async sendBatch(request, options = {}) {
    return this.#learning(() => this.#core().sendBatch(request, options));
  }

  /** The plan for any number of recipients: chunks and counts; nothing is sent. */
  planBulk(request, options = {}) {
    return guard(() => this.#core().planBulk(request, options));
  }

  /**
   * Sends any number of recipients in requests of at most 1000 and resolves
   * to a report that accounts for every number, also when aborted.
   */
  async sendBulk(request, options = {}) {
    return this.#learning(() => this.#core().sendBulk(request, options));
  }

  /**
   * Delivery receipts for any number of SessionNos (100 per call, a few
   * calls at a time; a read is retried after a timeout, a reset or a 5xx).
   */
  async getReceipts(sessionNos, options = {}) {
    return guard(() => this.#core().getReceipts(sessionNos, options));
  }

  /** Templates as uSpeedo has them (text, status); unknown ids are listed, not thrown. */
  async getTemplates(templateIds, options = {}) {
    return guard(() => this.#core().getTemplates(templateIds, options));
  }

  /**
   * Polls receipts for a sendBulk report, a SendResult or SessionNos until
   * every accepted number has a final status (or `timeoutMs` passes);
   * resolves to a delivery report, also when aborted.
   */
  async trackDelivery(input, options = {}) {
    return guard(() => this.#core().trackDelivery(input, options));
  }

  /**
   * Fetches templates from uSpeedo once and keeps them on this client: later
   * validations check parameters against their texts and refuse templates
   * that are not approved or unknown. Without ids, refreshes those loaded.
   */
  async loadTemplates(templateIds, options = {}) {
    return this.#learning(() => this.#core().loadTemplates(templateIds, options));
  }

  /**
   * A call that may learn templates (`checkTemplates`, `loadTemplates`):
   * once it settles, what the client knows is kept in JS, to be carried
   * into a fresh instance when the package gives its memory back.
   */
  #learning(call) {
    return guard(call).finally(() => this.#core.keep());
  }

  /** What is safe to show: the settings without the private key. */
  toJSON() {
    return { ...this.#settings };
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `Client ${JSON.stringify(this.toJSON())}`;
  }
}

/** Client options from USPEEDO_* variables (a Worker's `env`, or `process.env`). */
export function optionsFromEnv(env) {
  const source = env ?? globalThis.process?.env ?? {};
  return {
    publicKey: source.USPEEDO_PUBLIC_KEY,
    privateKey: source.USPEEDO_PRIVATE_KEY,
    baseUrl: source.USPEEDO_API_BASE_URL || undefined,
    accountId: source.USPEEDO_ACCOUNT_ID || undefined,
  };
}

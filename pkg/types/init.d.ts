// uspeedo-sms/init: the browser build, which loads its .wasm when init() says where it is.
export * from "./index.js";

/**
 * `WebAssembly.Module` where the consumer's types declare it (lib "dom"),
 * else nothing: these types must compile without the DOM library too.
 * (lib "dom" declares the module as an empty interface, so there any object
 * passes the type check; init() itself refuses what it cannot compile.)
 */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: never) => infer M } } ? M : never;

export interface InitOptions {
  /**
   * The browser build's .wasm (`uspeedo-sms/browser.wasm`, served by your
   * app): its URL, its bytes, a fetch `Response` or its promise, or a
   * compiled `WebAssembly.Module`.
   */
  wasm: string | URL | ArrayBuffer | ArrayBufferView | Response | PromiseLike<Response> | WasmModule;
}

/**
 * Loads the .wasm; await it before anything else (until then every function
 * throws a CONFIG `UspeedoError`). Later calls get the first call's promise.
 */
export declare function init(options: InitOptions): Promise<void>;

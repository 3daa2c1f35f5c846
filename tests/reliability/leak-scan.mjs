// Secret-leak scanning, shared by every runtime (no Node built-ins):
//
// - `needles(key)`: the private key and the encodings it could hide in
//   (base64, base64url, hex, percent-encoded, reversed).
// - `deepScan(value, needles)`: walks everything reachable from a value:
//   own properties (enumerable or not, symbol keys, getters are not called),
//   prototypes' own data of errors, `cause` chains, AggregateError.errors,
//   Map/Set entries, typed arrays as text, error stacks, `String(value)`,
//   `JSON.stringify(value)` (which calls toJSON) and an optional `inspect`
//   (Node's util.inspect with showHidden). Returns every hit with its path.
// - `captureConsole()`: records every console call (and, where present,
//   process.stdout/stderr writes) while passing them through.

/** The key and what it would look like if it leaked encoded. */
export function needles(key) {
  const bytes = new TextEncoder().encode(key);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  const base64 = btoa(binary);
  return [
    { form: "raw", text: key },
    { form: "base64", text: base64.replace(/=+$/, "") },
    { form: "base64url", text: base64.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_") },
    { form: "hex", text: Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") },
    { form: "percent", text: encodeURIComponent(key) },
    { form: "reversed", text: [...key].reverse().join("") },
  ].filter((n, i, all) => all.findIndex((m) => m.text === n.text) === i);
}

/** Hits of the needles in one string (case-insensitive for hex). */
export function scanText(text, list, where = "text") {
  const hits = [];
  if (typeof text !== "string" || text.length === 0) return hits;
  const lower = text.toLowerCase();
  for (const n of list) {
    const found = n.form === "hex" ? lower.includes(n.text) : text.includes(n.text);
    if (found) hits.push({ where, form: n.form, excerpt: excerptAround(text, n.text) });
  }
  return hits;
}

function excerptAround(text, needle) {
  const at = text.indexOf(needle);
  if (at < 0) return "";
  // Never echo the key itself into a report: mask it.
  return `${text.slice(Math.max(0, at - 40), at)}<KEY>${text.slice(at + needle.length, at + needle.length + 40)}`;
}

/**
 * Deep scan. `options.inspect(value)` (optional) renders a value the way a
 * log line would. Returns `{ hits, visited, bytes }`.
 */
export function deepScan(root, list, options = {}) {
  const { inspect, label = "value", maxNodes = 200_000 } = options;
  const hits = [];
  const seen = new Set();
  let visited = 0;
  let bytes = 0;
  const stack = [[root, label]];
  const text = (s, where) => {
    bytes += s.length;
    hits.push(...scanText(s, list, where));
  };
  while (stack.length && visited < maxNodes) {
    const [value, path] = stack.pop();
    if (value == null) continue;
    const type = typeof value;
    if (type === "string") {
      text(value, path);
      continue;
    }
    if (type === "symbol") {
      text(value.description ?? "", path);
      continue;
    }
    if (type === "function") {
      // A function's own properties may hold state; its source is ours.
      if (seen.has(value)) continue;
      seen.add(value);
      visited++;
      for (const key of Reflect.ownKeys(value)) {
        if (key === "prototype" || key === "caller" || key === "arguments") continue;
        const d = Object.getOwnPropertyDescriptor(value, key);
        if (d && "value" in d) stack.push([d.value, `${path}.${String(key)}`]);
      }
      continue;
    }
    if (type !== "object") continue;
    if (seen.has(value)) continue;
    seen.add(value);
    visited++;
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      if (value.byteLength <= 64 * 1024 * 1024) {
        text(new TextDecoder("utf-8", { fatal: false }).decode(value), `${path}<bytes>`);
      }
      continue;
    }
    if (value instanceof ArrayBuffer) {
      stack.push([new Uint8Array(value), path]);
      continue;
    }
    if (value instanceof Error || (typeof value.stack === "string")) {
      try {
        text(String(value.stack ?? ""), `${path}.stack`);
        text(String(value.message ?? ""), `${path}.message`);
      } catch {
        // a throwing getter is not our concern
      }
    }
    if (value instanceof Map) {
      let i = 0;
      for (const [k, v] of value) {
        stack.push([k, `${path}<key ${i}>`], [v, `${path}<value ${i}>`]);
        i++;
      }
    } else if (value instanceof Set) {
      let i = 0;
      for (const v of value) stack.push([v, `${path}<item ${i++}>`]);
    }
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === "symbol") text(key.description ?? "", `${path}[symbol key]`);
      else text(key, `${path}[key]`);
      const d = Object.getOwnPropertyDescriptor(value, key);
      if (d && "value" in d) stack.push([d.value, `${path}.${String(key)}`]);
    }
    // Rendered forms: what a log line or a JSON response would show.
    try {
      const s = String(value);
      if (s !== "[object Object]") text(s, `String(${path})`);
    } catch {
      // some objects cannot be stringified
    }
    if (path === label || value instanceof Error) {
      try {
        const json = JSON.stringify(value);
        if (typeof json === "string") text(json, `JSON.stringify(${path})`);
      } catch {
        // cycles, BigInt
      }
      if (inspect) {
        try {
          text(inspect(value), `inspect(${path})`);
        } catch {
          // ignore
        }
      }
    }
  }
  return { hits, visited, bytes };
}

/**
 * Records everything written through console (and process.stdout/stderr
 * when present) until `stop()`. Output still goes through, so the parent
 * process can scan the real streams as well.
 */
export function captureConsole() {
  const lines = [];
  const restore = [];
  const methods = ["log", "info", "warn", "error", "debug", "trace", "dir", "table", "assert"];
  for (const m of methods) {
    const original = console[m];
    if (typeof original !== "function") continue;
    console[m] = function captured(...args) {
      try {
        lines.push(`${m}: ${args.map(renderArg).join(" ")}`);
      } catch {
        lines.push(`${m}: <unrenderable>`);
      }
      return original.apply(this, args);
    };
    restore.push(() => (console[m] = original));
  }
  const proc = globalThis.process;
  for (const name of ["stdout", "stderr"]) {
    const stream = proc?.[name];
    if (!stream || typeof stream.write !== "function") continue;
    const original = stream.write;
    stream.write = function capturedWrite(chunk, ...rest) {
      try {
        lines.push(`${name}: ${typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)}`);
      } catch {
        lines.push(`${name}: <unrenderable>`);
      }
      return original.call(this, chunk, ...rest);
    };
    restore.push(() => (stream.write = original));
  }
  return {
    lines,
    stop() {
      for (const r of restore.splice(0)) r();
      return lines;
    },
  };
}

function renderArg(arg) {
  if (typeof arg === "string") return arg;
  if (arg instanceof Error) return `${arg.stack ?? arg.message} ${safeJson(arg)}`;
  return safeJson(arg) ?? String(arg);
}

function safeJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * The scanner's own positive control: a key hidden in each place a leak
 * could hide must be found, or a zero hit count would mean nothing.
 */
export function selfTest(list, key, inspect) {
  const planted = [];
  const hidden = (where, value) => planted.push({ where, value });
  hidden("message", new Error(`x ${key} y`));
  const e = new Error("plain");
  Object.defineProperty(e, "secret", { value: key, enumerable: false });
  hidden("non-enumerable property", e);
  const withCause = new Error("outer", { cause: new TypeError("inner", { cause: { deep: [{ key }] } }) });
  hidden("cause chain", withCause);
  hidden("symbol-keyed property", { [Symbol("s")]: key });
  hidden("Map value", new Map([["k", key]]));
  hidden("Set item", new Set([key]));
  hidden("toJSON only", { toJSON: () => ({ k: key }) });
  hidden("bytes", new TextEncoder().encode(`..${key}..`));
  hidden("base64", { b: btoa(key) });
  hidden("hex", { h: Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0")).join("") });
  hidden("AggregateError", new AggregateError([new Error(key)], "agg"));
  const missed = planted.filter(({ value }) => deepScan(value, list, { inspect }).hits.length === 0).map((p) => p.where);
  const falseAlarm = deepScan({ a: "nothing here", e: new Error("fine") }, list, { inspect }).hits.length > 0;
  return { planted: planted.length, missed, falseAlarm };
}

// Raw, gzip and brotli sizes of the .wasm and of each runtime entry with it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function add(a, b) {
  return { raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli };
}

/**
 * `entries`: `{ entry, wasm }` pairs, each entry file with the .wasm it loads
 * (`wasm: null`: the entry carries its wasm inside, so it is the whole download).
 */
export function sizeReport(dist, entries) {
  const wasmFiles = [...new Set(entries.map((e) => e.wasm).filter(Boolean))];
  const wasm = Object.fromEntries(wasmFiles.map((f) => [f, sizes(readFileSync(join(dist, f)))]));
  return {
    wasm,
    entries: entries.map(({ entry, wasm: file }) => {
      const js = sizes(readFileSync(join(dist, entry)));
      return { entry, wasm: file, js, withWasm: file ? add(js, wasm[file]) : js };
    }),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

export function printSizeReport(report, budgetGzip) {
  const rows = [["file", "raw", "gzip", "brotli"]];
  for (const [file, size] of Object.entries(report.wasm)) rows.push([file, ...Object.values(size).map(kb)]);
  for (const e of report.entries) {
    rows.push([e.entry + (e.wasm ? "" : " (wasm inside)"), ...Object.values(e.js).map(kb)]);
    if (e.wasm) rows.push([`  ${e.entry} + wasm`, ...Object.values(e.withWasm).map(kb)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log("\nsize report (pkg/dist/size-report.json)");
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
  console.log(`budget: browser entry + wasm <= ${kb(budgetGzip)} gzip\n`);
}

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

export function sizeReport(dist, entries, wasmName) {
  const wasm = sizes(readFileSync(join(dist, wasmName)));
  return {
    wasm,
    entries: entries.map((entry) => {
      const js = sizes(readFileSync(join(dist, entry)));
      return { entry, js, withWasm: add(js, wasm) };
    }),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

export function printSizeReport(report, budgetGzip) {
  const rows = [["file", "raw", "gzip", "brotli"], ["uspeedo_sms_bg.wasm", ...Object.values(report.wasm).map(kb)]];
  for (const e of report.entries) {
    rows.push([e.entry, ...Object.values(e.js).map(kb)]);
    rows.push([`  ${e.entry} + wasm`, ...Object.values(e.withWasm).map(kb)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log("\nsize report (pkg/dist/size-report.json)");
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
  console.log(`budget: browser entry + wasm <= ${kb(budgetGzip)} gzip\n`);
}

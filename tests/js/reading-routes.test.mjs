// The server builds read a request as JSON text when JSON says exactly what
// it holds (pkg/src/input.js), and field by field through
// serde-wasm-bindgen otherwise; the browser build always reads field by
// field. Both ways must give the validator the same thing: the browser
// build, loaded here through `uspeedo-sms/init`, is the oracle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { exactJsonText } from "../../pkg/src/input.js";
import * as browser from "../../pkg/dist/init.mjs";
import { batch, sms } from "./helpers.mjs";

await browser.init({ wasm: readFileSync(new URL("../../pkg/dist/uspeedo_sms_browser_bg.wasm", import.meta.url)) });

const task = (Target) => ({ TaskContent: [{ TemplateId: "UTA1", Target }] });
const cycle = { Phone: "5550001" };
cycle.self = cycle;
class Target {
  constructor(phone) {
    this.Phone = phone;
  }
}

const INPUTS = {
  "plain request": batch(50, { templates: 3 }),
  "Date in a field": task([{ Phone: "5550001", UserId: new Date(0) }]),
  "undefined in a known field": task([{ Phone: "5550001", SenderId: undefined }]),
  "undefined in an unknown field": task([{ Phone: "5550001", Extra: undefined }]),
  "NaN in a parameter": task([{ Phone: "5550001", TemplateParams: [NaN] }]),
  "Infinity as AccountId": { AccountId: Infinity, ...task([{ Phone: "5550001" }]) },
  "BigInt as AccountId": { AccountId: 10n, ...task([{ Phone: "5550001" }]) },
  "function in an unknown field": task([{ Phone: "5550001", Later: () => 1 }]),
  "Symbol as a phone": task([{ Phone: Symbol("p") }]),
  "lone surrogate in a phone": task([{ Phone: "555\ud8000001" }]),
  "paired surrogates in a parameter": task([{ Phone: "5550001", TemplateParams: ["😀"] }]),
  "a Map as Target": { TaskContent: [{ TemplateId: "UTA1", Target: new Map([["0", { Phone: "5550001" }]]) }] },
  "a hole in Target": task([, { Phone: "5550001" }]),
  "a cycle in a target": task([cycle]),
  "a class instance as a target": task([new Target("5550001")]),
  "an object without prototype": task([Object.assign(Object.create(null), { Phone: "5550001" })]),
  "toJSON on a target": task([{ Phone: "5550001", toJSON: () => ({ Phone: "5550002" }) }]),
  "a string where the request belongs": "{\"TaskContent\":[]}",
  "null": null,
  "undefined": undefined,
  "duplicates": task([{ Phone: "5550001" }, { Phone: "555-0001" }]),
  "nesting deeper than 64 in an unknown field": task([{ Phone: "5550001", Deep: nested(100) }]),
  "a getter that throws": task([Object.defineProperty({ Phone: "5550001" }, "UserId", { enumerable: true, get() { throw new Error("no"); } })]),
};

function nested(depth) {
  let value = "x";
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

test("the JSON-text way and the field-by-field way read every input alike", () => {
  for (const [name, input] of Object.entries(INPUTS)) {
    assert.deepEqual(sms.validateBatch(input), browser.validateBatch(input), name);
  }
});

test("exactJsonText answers only when JSON would say exactly what the value holds", () => {
  const text = exactJsonText;
  assert.equal(text(batch(2)), JSON.stringify(batch(2)));
  assert.equal(text(INPUTS["paired surrogates in a parameter"]), JSON.stringify(INPUTS["paired surrogates in a parameter"]));
  assert.equal(text(INPUTS["an object without prototype"]), JSON.stringify(INPUTS["an object without prototype"]));
  assert.equal(text(null), "null");
  for (const name of [
    "Date in a field", "undefined in a known field", "undefined in an unknown field", "NaN in a parameter",
    "Infinity as AccountId", "BigInt as AccountId", "function in an unknown field", "Symbol as a phone",
    "lone surrogate in a phone", "a Map as Target", "a hole in Target", "a cycle in a target",
    "a class instance as a target", "toJSON on a target", "undefined",
    "nesting deeper than 64 in an unknown field", "a getter that throws",
  ]) {
    assert.equal(text(INPUTS[name]), undefined, name);
  }
});

test("JSON text that is not ASCII reaches the wasm whole, in every width of UTF-8", async () => {
  // The wasm reserves one byte per UTF-16 unit and encodes what does not
  // fit in a second pass (src/wasm/utf8.rs): non-ASCII from the first
  // target on, in every target, in the TemplateId and in the very last
  // value. A wrong byte would show in the signed body; a fallback to the
  // field-by-field reading would not, which the benchmarks' memory rows do.
  const params = ["短信验证", "é", "😀x", "ü".repeat(40), "ñandú", "𝄞", "€"];
  const request = batch(300);
  request.TaskContent[0].Target.forEach((target, i) => {
    target.TemplateParams = [params[i % params.length], String(i)];
  });
  request.TaskContent[0].Target.at(-1).TemplateParams = ["末尾😀"];
  request.TaskContent[0].TemplateId = "UTA-ж";
  const client = new sms.Client({ publicKey: "pk", privateKey: "sk", baseUrl: "http://127.0.0.1:9" });
  const prepared = await client.prepare(request);
  const sent = JSON.parse(prepared.body).TaskContent[0];
  assert.equal(sent.TemplateId, "UTA-ж");
  assert.deepEqual(sent.Target.map((t) => t.TemplateParams), request.TaskContent[0].Target.map((t) => t.TemplateParams));
  assert.deepEqual(sms.validateBatch(request), browser.validateBatch(request));
});

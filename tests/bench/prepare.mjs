// 2. Preparation speed: from a plain JS object to ready-to-send bodies and
// headers, with the network taken out. Compared in one process with
// (a) JSON.stringify of the same object (the floor) and (b) the plain-JS
// implementation in baseline-plain-js.mjs. Also the parts of our prepare
// (validation alone, signing alone, the JSON that crosses into and out of
// the wasm), so the table says what dominates.
import { createPlainClient, sign as plainSign, validate as plainValidate } from "./baseline-plain-js.mjs";
import { progress, runAsChild } from "./lib/child.mjs";
import { BULK_TARGETS, KEYS, ONE_REQUEST, UNUSED_BASE_URL, cannedFetch, importPackage, makeRequest } from "./lib/fixtures.mjs";
import { makeRow, timingRow } from "./lib/rows.mjs";
import { compare } from "./lib/stats.mjs";

const sms = await importPackage();

const CONCURRENCY = 8;
const ratioTarget = { maxRatio: 1.0 };

/** Both sides must produce the same body and signature, or the comparison means nothing. */
async function checkSameOutput(ours, plain, request) {
  const a = await ours.prepare(request);
  const b = plain.prepare(request);
  if (a.body !== b.body) throw new Error("the plain-JS baseline and the package disagree on the body");
  if (a.headers["X-Signature"] !== b.headers["X-Signature"]) throw new Error("the plain-JS baseline and the package disagree on the signature");
  return a;
}

async function oneRequest(ours, plain, { warmup, iterations }) {
  const request = makeRequest(ONE_REQUEST);
  const prepared = await checkSameOutput(ours, plain, request);
  const payload = JSON.parse(prepared.body);
  // What our prepare hands back from the wasm, as text: parsed on the JS side.
  const replyText = JSON.stringify({ ok: true, prepared, accountId: null });
  progress(`prepare ${ONE_REQUEST} numbers: ${warmup} warm-up + ${iterations} measured runs each`);
  const t = await compare({
    ours: () => ours.prepare(request),
    plain: () => plain.prepare(request),
    floor: () => JSON.stringify(request),
    oursValidate: () => sms.validateBatch(request),
    plainValidate: () => plainValidate(request),
    oursSign: () => sms.signPayload(payload, KEYS.privateKey),
    plainSign: () => plainSign(payload, KEYS.privateKey),
    replyParse: () => JSON.parse(replyText),
  }, { warmup, iterations });
  const boundary = t.floor.median + t.replyParse.median;
  return [
    timingRow({ id: "prepare.1k.vs-plain", figure: `prepare ${ONE_REQUEST.toLocaleString("en")} numbers: validate+normalise+sign+serialise`, ours: t.ours, baseline: t.plain, baselineName: "plain JS", target: ratioTarget }),
    timingRow({ id: "prepare.1k.vs-floor", figure: `prepare ${ONE_REQUEST.toLocaleString("en")} numbers vs JSON.stringify alone`, ours: t.ours, baseline: t.floor, baselineName: "stringify" }),
    timingRow({ id: "prepare.1k.validate", figure: `  part: validation alone (validateBatch)`, ours: t.oursValidate, baseline: t.plainValidate, baselineName: "plain JS" }),
    timingRow({ id: "prepare.1k.sign", figure: `  part: signing alone (signPayload of the body)`, ours: t.oursSign, baseline: t.plainSign, baselineName: "plain JS" }),
    makeRow({
      id: "prepare.1k.boundary", figure: "  part: JSON in and out of the wasm (stringify + parse reply)", unit: "ms",
      ours: boundary, baseline: t.ours.median, baselineName: "whole prepare",
      details: { stringifyInput: t.floor, parseReply: t.replyParse, replyBytes: replyText.length, bodyBytes: prepared.body.length },
    }),
  ];
}

async function bulk(plain, { warmup, iterations }) {
  const request = makeRequest(BULK_TARGETS);
  const ours = new sms.Client({ ...KEYS, baseUrl: UNUSED_BASE_URL, fetch: cannedFetch });
  const plainCanned = createPlainClient({ ...KEYS, baseUrl: UNUSED_BASE_URL, fetch: cannedFetch });
  const oursPlan = ours.planBulk(request);
  const plainPlan = plain.planBulk(request);
  if (oursPlan.chunkCount !== plainPlan.chunks.length || oursPlan.sent !== plainPlan.targets.length) {
    throw new Error("the plain-JS baseline plans differently from the package");
  }
  // The first chunk must be signed identically too (nonce and timestamp aside).
  const plainChunk = plain.prepareChunk(plainPlan, 0);
  const oursChunk = await ours.prepare({ TaskContent: JSON.parse(plainChunk.body).TaskContent });
  if (oursChunk.headers["X-Signature"] !== plainChunk.headers["X-Signature"]) throw new Error("chunk 0 is signed differently");

  progress(`planBulk ${BULK_TARGETS} numbers: ${warmup} warm-up + ${iterations} measured runs each`);
  const plan = await compare({
    ours: () => ours.planBulk(request),
    plain: () => plain.planBulk(request),
    floor: () => JSON.stringify(request),
  }, { warmup, iterations, gcFirst: true });

  progress(`sendBulk ${BULK_TARGETS} numbers to a canned fetch, concurrency ${CONCURRENCY}`);
  const checkAll = (report) => {
    if (report.totals.accepted !== BULK_TARGETS) throw new Error(`canned sendBulk accepted ${report.totals.accepted}`);
  };
  const send = await compare({
    ours: async () => checkAll(await ours.sendBulk(request, { concurrency: CONCURRENCY })),
    plain: async () => checkAll(await plainCanned.sendBulk(request, { concurrency: CONCURRENCY })),
  }, { warmup: Math.max(1, warmup), iterations, gcFirst: true });

  const chunks = oursPlan.chunkCount;
  const perChunk = (side) => (send[side].median - plan[side].median) / chunks;
  const n = BULK_TARGETS.toLocaleString("en");
  return [
    timingRow({ id: "prepare.100k.plan", figure: `planBulk ${n} numbers (validate+normalise+chunk)`, ours: plan.ours, baseline: plan.plain, baselineName: "plain JS", target: ratioTarget }),
    timingRow({ id: "prepare.100k.plan-vs-floor", figure: `planBulk ${n} numbers vs JSON.stringify alone`, ours: plan.ours, baseline: plan.floor, baselineName: "stringify" }),
    timingRow({ id: "prepare.100k.all-chunks", figure: `${n} numbers to ${chunks} signed bodies (sendBulk, canned fetch)`, ours: send.ours, baseline: send.plain, baselineName: "plain JS", target: ratioTarget }),
    makeRow({
      id: "prepare.100k.per-chunk", figure: "  per chunk: sign+serialise+record ((sendBulk − planBulk) / chunks)", unit: "ms",
      ours: perChunk("ours"), baseline: perChunk("plain"), baselineName: "plain JS", details: { chunks },
    }),
  ];
}

export async function measure({ quick }) {
  const ours = new sms.Client({ ...KEYS, baseUrl: UNUSED_BASE_URL });
  const plain = createPlainClient({ ...KEYS, baseUrl: UNUSED_BASE_URL });
  const rows = [
    ...(await oneRequest(ours, plain, quick ? { warmup: 20, iterations: 40 } : { warmup: 50, iterations: 200 })),
    ...(await bulk(plain, quick ? { warmup: 1, iterations: 3 } : { warmup: 2, iterations: 10 })),
  ];
  return { rows };
}

await runAsChild(measure);

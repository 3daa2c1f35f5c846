// Fault injection of the mock uSpeedo API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callApi, sendBatchPayload, startTestServer } from './signed-client.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const send = (server, phones = ['(86)13800000001'], options) => callApi(server, sendBatchPayload(phones), options);
const lastLog = (server) => server.requests.at(-1);

test('injectFault rejects malformed rules', async (t) => {
  const server = await startTestServer(t);
  const bad = [{ kind: 'nope' }, {}, { kind: 'status500', times: 0 }, { kind: 'status500', after: -1 },
    { kind: 'status500', match: 'x' }, { kind: 'latency' }, { kind: 'retCode' }];
  for (const rule of bad) assert.throws(() => server.injectFault(rule), TypeError, JSON.stringify(rule));
  assert.equal(server.faults.length, 0);
});

test('latency delays, then handles normally', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'latency', ms: 150 });
  const started = performance.now();
  const { json } = await send(server);
  assert.ok(performance.now() - started >= 140);
  assert.equal(json.SuccessCount, 1);
  assert.deepEqual([lastLog(server).outcome, lastLog(server).fault], ['ok', 'latency']);
});

test('status429 answers Too Many Requests with Retry-After and records nothing', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'status429', retryAfter: 7 });
  const { status, headers } = await send(server);
  assert.equal(status, 429);
  assert.equal(headers.get('retry-after'), '7');
  assert.match(headers.get('x-speedo-request-uuid'), UUID);
  assert.equal(server.acceptedCount(), 0);
  assert.deepEqual(lastLog(server), { requestId: lastLog(server).requestId, action: 'SendBatchUSMSMessage', targets: 1, outcome: 'rejected 429', fault: 'status429' });
  assert.equal((await send(server)).status, 200, 'consumed after one use');
});

test('status500 records numbers only when asked to, as JSON or text', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'status500' });
  server.injectFault({ kind: 'status500', processed: true, format: 'text' });
  const first = await send(server, ['1']);
  assert.deepEqual([first.status, first.json], [500, { Message: 'Internal Server Error' }]);
  assert.equal(server.acceptedCount(), 0);
  const second = await send(server, ['2']);
  assert.deepEqual([second.status, second.text, second.headers.get('content-type')], [500, 'Internal Server Error', 'text/plain; charset=utf-8']);
  assert.deepEqual(server.accepted.map((record) => record.Phone), ['2']);
  assert.deepEqual(server.requests.map((entry) => entry.outcome), ['rejected 500', 'ok']);
});

test('html502 answers an HTML Bad Gateway page and records nothing', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'html502' });
  const { status, text, headers } = await send(server);
  assert.equal(status, 502);
  assert.match(headers.get('content-type'), /^text\/html/);
  assert.match(text, /<title>502 Bad Gateway<\/title>/);
  assert.equal(server.acceptedCount(), 0);
});

test('truncatedJson records the numbers and sends half of the JSON', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'truncatedJson' });
  const { status, text, json } = await send(server);
  assert.equal(status, 200);
  assert.equal(json, undefined, 'not parseable');
  assert.ok(text.startsWith('{"RetCode":0,"Action":"SendBatchUSMSMessageResponse"'));
  assert.equal(server.acceptedCount(), 1);
});

test('retCodeString sends RetCode as the string "0"', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'retCodeString' });
  const { json } = await send(server);
  assert.equal(json.RetCode, '0');
  assert.equal(json.SuccessCount, 1);
  assert.equal(server.acceptedCount(), 1);
});

test('resetBeforeBody drops the connection unread; resetAfterBody after recording', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'resetBeforeBody' });
  await assert.rejects(send(server, ['1']), TypeError);
  assert.equal(server.acceptedCount(), 0);
  assert.deepEqual([lastLog(server).outcome, lastLog(server).fault], ['dropped', 'resetBeforeBody']);

  server.injectFault({ kind: 'resetAfterBody' });
  await assert.rejects(send(server, ['2']), TypeError);
  assert.deepEqual(server.accepted.map((record) => record.Phone), ['2']);
  assert.deepEqual([lastLog(server).outcome, lastLog(server).fault], ['ok', 'resetAfterBody']);
});

test('hang never answers and records nothing; close() ends hanging sockets', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'hang', times: 2 });
  await assert.rejects(send(server, ['1'], { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
  assert.equal(server.acceptedCount(), 0);
  assert.deepEqual([lastLog(server).outcome, lastLog(server).fault], ['dropped', 'hang']);

  const pending = send(server, ['2']);
  while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  await server.close();
  assert.ok(performance.now() - started < 500, 'close() does not wait for the hanging request');
  await assert.rejects(pending, TypeError);
});

test('slowDrip sends the full answer a few bytes at a time', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'slowDrip', intervalMs: 5 });
  const started = performance.now();
  const { json, text } = await send(server);
  const chunks = Math.ceil(Buffer.byteLength(text) / 8);
  assert.ok(performance.now() - started >= (chunks - 1) * 5 * 0.9, 'one interval per chunk');
  assert.equal(json.SuccessCount, 1);
  assert.equal(server.acceptedCount(), 1);
});

test('close() also ends a slow drip in progress', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'slowDrip', intervalMs: 10_000 });
  const pending = send(server);
  while (server.requests.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await server.close();
  await assert.rejects(pending, TypeError);
});

test('emptyBody, hugeBody, wrongTypes and duplicateKeys process, then answer oddly', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'emptyBody' });
  const empty = await send(server, ['1']);
  assert.deepEqual([empty.status, empty.text], [200, '']);

  server.injectFault({ kind: 'hugeBody' });
  const huge = await send(server, ['2']);
  assert.ok(huge.text.length > 10 * 1024 * 1024);
  assert.equal(huge.json.RetCode, 0);

  server.injectFault({ kind: 'wrongTypes' });
  const wrong = await send(server, ['3']);
  assert.equal(wrong.json.RetCode, 0);
  assert.deepEqual(wrong.json.SuccessCount, { Count: 1 });
  assert.equal(wrong.json.FailContent, '[]');

  server.injectFault({ kind: 'duplicateKeys' });
  const duplicated = await send(server, ['4']);
  assert.match(duplicated.text, /^\{"RetCode":0,.*,"RetCode":1\}$/);
  assert.equal(duplicated.json.RetCode, 1, 'JSON.parse keeps the last one');

  assert.deepEqual(server.accepted.map((record) => record.Phone), ['1', '2', '3', '4']);
  assert.deepEqual(server.requests.map((entry) => entry.fault), ['emptyBody', 'hugeBody', 'wrongTypes', 'duplicateKeys']);
});

test('retCode answers an API error and records nothing', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'retCode', retCode: 215600, message: 'Account balance not enough' });
  const { status, json } = await send(server);
  assert.equal(status, 200);
  assert.deepEqual(json, { RetCode: 215600, Action: 'SendBatchUSMSMessageResponse', Message: 'Account balance not enough' });
  assert.equal(server.acceptedCount(), 0);
  assert.equal(lastLog(server).outcome, 'error 215600');
});

test('rules are consumed in order, honour times, after and match, and apply without auth', async (t) => {
  const server = await startTestServer(t);
  const receipts = (payload) => payload?.Action === 'GetUSMSSendReceipt';
  server.injectFault({ kind: 'retCode', retCode: 1, match: receipts });
  server.injectFault({ kind: 'status500', times: 2, after: 1 });
  server.injectFault({ kind: 'html502' });
  assert.deepEqual(server.faults.map((rule) => rule.kind), ['retCode', 'status500', 'html502']);

  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await send(server, [String(i)], { privateKey: i === 1 ? 'wrong' : undefined })).status);
  assert.deepEqual(statuses, [200, 500, 500, 502, 200]);
  assert.deepEqual(server.faults.map((rule) => rule.kind), ['retCode'], 'the receipt rule is still waiting');

  const receipt = await callApi(server, { Action: 'GetUSMSSendReceipt', SessionNoSet: ['x'] });
  assert.equal(receipt.json.RetCode, 1);
  assert.equal(server.faults.length, 0);
});

test('resetBeforeBody keeps its place in the order though decided before the body', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'status429' });
  server.injectFault({ kind: 'resetBeforeBody', after: 1, match: (payload, req) => req.url.includes('SendBatch') });
  server.injectFault({ kind: 'html502' });
  assert.equal((await send(server)).status, 429, 'an earlier rule that will certainly apply is not overtaken');
  assert.equal((await send(server)).status, 200, 'a request let pass is handled normally, not by a later rule');
  await assert.rejects(send(server), TypeError);
  assert.equal((await send(server)).status, 502);
  assert.deepEqual(server.requests.map((entry) => entry.fault), ['status429', undefined, 'resetBeforeBody', 'html502']);
});

test('a throwing match is answered with a 500, and the server keeps going', async (t) => {
  const server = await startTestServer(t);
  server.injectFault({ kind: 'status429', match: () => { throw new Error('bad matcher'); } });
  const { status, json } = await send(server);
  assert.deepEqual([status, json.Message], [500, 'mock internal error: bad matcher']);
  server.reset();
  assert.equal((await send(server)).json.RetCode, 0);
});

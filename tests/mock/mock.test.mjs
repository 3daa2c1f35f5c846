// Behaviour of the mock uSpeedo API, apart from fault injection (faults.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockServer } from '../../pkg/mock/server.mjs';
import { canonicalEncode, signPayload, verifySignature } from '../../pkg/mock/signature.mjs';
import {
  KEYS, callApi, freshNonce, phoneList, rawExchange, sendBatchPayload, signedHeaders, startTestServer,
} from './signed-client.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;

test('signature matches the four official test vectors', () => {
  const sdkKey = 'NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk';
  const vectors = [
    [sdkKey, '{"Action":"CreateUSMSTemplate","AccountId":60000011,"Purpose":1,"Template":"your code is {1}","TemplateName":"demo"}', '11a0430ae6f1a4dc0c656e64dfc1886b0ac4b63a'],
    [sdkKey, '{"Action":"QueryUSMSTemplate","AccountId":60000011,"TemplateId":["UTA230227EL4IW1","UTA230227JVIB02"]}', '258dc3d2d7115e9e7c9f4dd4910e671e17b224f1'],
    [sdkKey, '{"Action":"SendBatchUSMSMessage","TaskContent":[{"TemplateId":"UTAXXXXXXXXXXX","SenderId":"uspeedo","Target":[{"Phone":"1111","TemplateParams":["1111"]}]}]}', '7175ca50d6204dfd469e8aab447810c08f9da53f'],
    ['MjI3YmYyMjItNmM4Mi00ZGM5LWEwNDQtN2EzZjM0Yzk2OWE1', '{"Action":"SendBatchUSMSMessage","AccountId":10001,"TaskContent":[{"TemplateId":"UTA2233108MUY3HZ","SenderId":"uSpeedo","Target":[{"TemplateParams":["123456","653132","nickname1"],"Phone":"55212345780"},{"TemplateParams":["123457","765421","nickname2"],"Phone":"55212345781"}]}]}', '69cc15724cda05b63c99cebf8226202d4c69ef0f'],
  ];
  for (const [privateKey, json, expected] of vectors) {
    assert.equal(signPayload(JSON.parse(json), privateKey), expected);
    assert.ok(verifySignature(JSON.parse(json), privateKey, expected));
  }
});

test('canonical encoding follows the spec rules', () => {
  assert.equal(canonicalEncode({ b: 1, a: [true, false], c: null, d: { z: 'x', y: [] } }), 'atruefalseb1dyzx');
  assert.equal(canonicalEncode({ a: 'x', B: 'y' }), 'Byax', 'upper case sorts before lower case');
  // Byte-wise UTF-8 order puts U+E000 before an astral character; UTF-16 order would not.
  assert.equal(canonicalEncode({ '\u{1F600}': 1, '\uE000': 2 }), '\uE0002\u{1F600}1');
  assert.equal(canonicalEncode([42.0, 1.5, 1e21, 1.5e-7, -2.5e-7]), '421.510000000000000000000000.00000015-0.00000025');
  assert.equal(canonicalEncode({ s: 'a&b=c %20 "q"' }), 'sa&b=c %20 "q"', 'strings are not escaped');
  const signature = signPayload({ a: 1 }, 'k');
  assert.equal(verifySignature({ a: 1 }, 'k', signature.toUpperCase()), false);
});

test('starts on loopback with a url and port, and refuses bad options', async (t) => {
  const server = await startTestServer(t);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
  assert.equal(server.url, `http://127.0.0.1:${server.port}/api`);
  await assert.rejects(startMockServer({ privateKey: 's' }), TypeError);
  await assert.rejects(startMockServer({ ...KEYS, host: '0.0.0.0' }), RangeError);
});

test('accepts a signed batch and records every number', async (t) => {
  const server = await startTestServer(t);
  const payload = {
    Action: 'SendBatchUSMSMessage',
    AccountId: 10001,
    TaskContent: [
      { TemplateId: 'UTA1', SenderId: 'uSpeedo', Target: [
        { Phone: '(86)13800000001', TemplateParams: ['111'], UserId: 'u1', ExtendCode: '7' },
        { Phone: '(852)55311111', TemplateParams: ['222'] },
      ] },
      { TemplateId: 'UTA2', Target: [{ Phone: '4155550100' }] },
    ],
  };
  const { status, headers, json } = await callApi(server, payload);
  assert.equal(status, 200);
  assert.match(json.SessionNo, UUID);
  assert.equal(headers.get('x-speedo-request-uuid'), json.ReqUuid);
  assert.deepEqual(json, {
    RetCode: 0, Action: 'SendBatchUSMSMessageResponse', Message: 'submit success',
    SessionNo: json.SessionNo, ReqUuid: json.ReqUuid, SuccessCount: 3, FailContent: [],
  });
  const common = { SessionNo: json.SessionNo, requestId: json.ReqUuid };
  assert.deepEqual(server.accepted, [
    { ...common, TemplateId: 'UTA1', SenderId: 'uSpeedo', Phone: '(86)13800000001', TemplateParams: ['111'], ExtendCode: '7', UserId: 'u1' },
    { ...common, TemplateId: 'UTA1', SenderId: 'uSpeedo', Phone: '(852)55311111', TemplateParams: ['222'], ExtendCode: '', UserId: '' },
    { ...common, TemplateId: 'UTA2', SenderId: '', Phone: '4155550100', TemplateParams: [], ExtendCode: '', UserId: '' },
  ]);
  assert.equal(server.acceptedCount(), 3);
  assert.deepEqual(server.requests, [{ requestId: json.ReqUuid, action: 'SendBatchUSMSMessage', targets: 3, outcome: 'ok' }]);
});

test('checks the signature over parsed values: key order and whitespace do not matter', async (t) => {
  const server = await startTestServer(t);
  const payload = sendBatchPayload(['1111']);
  const reordered = `{ "TaskContent": [ { "Target": [ { "TemplateParams": ["1234"], "Phone": "1111" } ],\n "SenderId": "uSpeedo", "TemplateId": "UTA0001" } ], "Action": "SendBatchUSMSMessage" }`;
  const { json } = await callApi(server, payload, { body: reordered });
  assert.equal(json.RetCode, 0);
});

test("the body's Action wins over the query string", async (t) => {
  const server = await startTestServer(t);
  const { json } = await callApi(server, sendBatchPayload(['1111']), { query: '?Action=GetUSMSSendReceipt' });
  assert.equal(json.Action, 'SendBatchUSMSMessageResponse');
  assert.equal(json.SuccessCount, 1);
});

test('rejects bad credentials, timestamps and nonces, recording nothing', async (t) => {
  const server = await startTestServer(t, { now: () => NOW_MS });
  const payload = sendBatchPayload(['1111']);
  const at = { timestamp: NOW_S };
  const cases = [
    ['wrong access key', { ...at, publicKey: 'other' }, 215398],
    ['missing access key', { ...at, headers: { 'X-Access-Key-Id': undefined } }, 215398],
    ['wrong private key', { ...at, privateKey: 'other' }, 215398],
    ['missing signature', { ...at, headers: { 'X-Signature': undefined } }, 215398],
    ['upper-case signature', { ...at, headers: { 'X-Signature': signPayload(payload, KEYS.privateKey).toUpperCase() } }, 215398],
    ['tampered body', { ...at, body: JSON.stringify(sendBatchPayload(['2222'])) }, 215398],
    ['timestamp 301 s late', { timestamp: NOW_S - 301 }, 215401],
    ['timestamp 301 s early', { timestamp: NOW_S + 301 }, 215401],
    ['timestamp in milliseconds', { timestamp: NOW_MS }, 215401],
    ['timestamp not a number', { headers: { 'X-Timestamp': 'soon' } }, 215401],
    ['missing timestamp', { headers: { 'X-Timestamp': undefined } }, 215401],
    ['nonce of 33 chars', { ...at, nonce: 'n'.repeat(33) }, 215402],
    ['empty nonce', { ...at, nonce: '' }, 215402],
    ['missing nonce', { ...at, headers: { 'X-Nonce': undefined } }, 215402],
  ];
  for (const [name, options, retCode] of cases) {
    const { status, json, headers } = await callApi(server, payload, options);
    assert.equal(status, 200, name);
    assert.equal(json.RetCode, retCode, name);
    assert.equal(json.Action, 'SendBatchUSMSMessageResponse', name);
    assert.match(headers.get('x-speedo-request-uuid'), UUID, name);
  }
  assert.equal(server.acceptedCount(), 0);
  assert.ok(server.requests.every((entry) => /^error 215(398|40[1-3])$/.test(entry.outcome)));
  for (const timestamp of [NOW_S - 300, NOW_S + 300]) {
    assert.equal((await callApi(server, payload, { timestamp })).json.RetCode, 0, 'edge of the window is accepted');
  }
});

test('a nonce is single-use, but a rejected request does not use it up', async (t) => {
  const server = await startTestServer(t);
  const payload = sendBatchPayload(['1111']);
  const nonce = freshNonce();
  assert.equal((await callApi(server, payload, { nonce, privateKey: 'wrong' })).json.RetCode, 215398);
  assert.equal((await callApi(server, payload, { nonce })).json.RetCode, 0);
  const replay = await callApi(server, payload, { nonce });
  assert.deepEqual([replay.json.RetCode, replay.json.Message], [215403, 'Nonce already used']);
  assert.equal(server.acceptedCount(), 1);
});

test('blacklisted phones come back in FailContent, the rest are accepted', async (t) => {
  const server = await startTestServer(t, { blacklist: ['(86)13800000000'] });
  const payload = {
    Action: 'SendBatchUSMSMessage',
    TaskContent: [{ TemplateId: 'UTA1', SenderId: 'S', Target: [
      { Phone: '(86)13800000000', TemplateParams: ['1'], UserId: 'u9' },
      { Phone: '(86)13800000001', TemplateParams: ['2'] },
    ] }],
  };
  const { json } = await callApi(server, payload);
  assert.equal(json.RetCode, 0);
  assert.equal(json.SuccessCount, 1);
  assert.deepEqual(json.FailContent, [{
    TemplateId: 'UTA1', SenderId: 'S', FailureDetails: '',
    Target: [{ Phone: '(86)13800000000', TemplateParams: ['1'], ExtendCode: '', UserId: 'u9', FailureDetails: 'phone in the black list', Invalid: false }],
  }]);
  assert.deepEqual(server.accepted.map((record) => record.Phone), ['(86)13800000001']);

  const allBlocked = await callApi(server, sendBatchPayload(['(86)13800000000']));
  assert.equal(allBlocked.json.RetCode, 0);
  assert.equal(allBlocked.json.SuccessCount, 0);
  assert.equal('SessionNo' in allBlocked.json, false, 'no SessionNo when nothing was accepted');
});

test('unknown templates fail as a whole batch, given as an array or an object', async (t) => {
  for (const templates of [['UTA_OK'], { UTA_OK: 'your code is {1}' }]) {
    const server = await startTestServer(t, { templates });
    const payload = {
      Action: 'SendBatchUSMSMessage',
      TaskContent: [
        { TemplateId: 'UTA_OK', Target: [{ Phone: '1' }] },
        { TemplateId: 'UTA_NOPE', SenderId: 'S', Target: [{ Phone: '2', TemplateParams: ['x'] }, { Phone: '3' }] },
      ],
    };
    const { json } = await callApi(server, payload);
    assert.equal(json.RetCode, 0);
    assert.equal(json.SuccessCount, 1);
    assert.deepEqual(json.FailContent, [{
      TemplateId: 'UTA_NOPE', SenderId: 'S', FailureDetails: 'template not exist',
      Target: [
        { Phone: '2', TemplateParams: ['x'], ExtendCode: '', UserId: '', FailureDetails: '', Invalid: false },
        { Phone: '3', TemplateParams: [], ExtendCode: '', UserId: '', FailureDetails: '', Invalid: false },
      ],
    }]);
    assert.deepEqual(server.accepted.map((record) => record.Phone), ['1']);
  }
});

test('missing or mistyped parameters are named in the error', async (t) => {
  const server = await startTestServer(t);
  const task = (fields) => ({ Action: 'SendBatchUSMSMessage', TaskContent: [{ TemplateId: 'T', Target: [{ Phone: '1' }], ...fields }] });
  const target = (fields) => task({ Target: [{ Phone: '1' }, { Phone: '2', ...fields }] });
  const cases = [
    [{ Action: 'SendBatchUSMSMessage' }, 'TaskContent'],
    [{ Action: 'SendBatchUSMSMessage', TaskContent: [] }, 'TaskContent'],
    [{ Action: 'SendBatchUSMSMessage', TaskContent: {} }, 'TaskContent'],
    [{ Action: 'SendBatchUSMSMessage', TaskContent: ['x'] }, 'TaskContent[0]'],
    [task({ TemplateId: undefined }), 'TaskContent[0].TemplateId'],
    [task({ TemplateId: 7 }), 'TaskContent[0].TemplateId'],
    [task({ SenderId: 7 }), 'TaskContent[0].SenderId'],
    [task({ Target: [] }), 'TaskContent[0].Target'],
    [task({ Target: 'x' }), 'TaskContent[0].Target'],
    [target({ Phone: undefined }), 'TaskContent[0].Target[1].Phone'],
    [target({ Phone: 8613800000000 }), 'TaskContent[0].Target[1].Phone'],
    [target({ TemplateParams: [1] }), 'TaskContent[0].Target[1].TemplateParams'],
    [target({ TemplateParams: 'x' }), 'TaskContent[0].Target[1].TemplateParams'],
    [target({ UserId: 5 }), 'TaskContent[0].Target[1].UserId'],
    [task({ Target: [null] }), 'TaskContent[0].Target[0]'],
    [{ Action: 'GetUSMSSendReceipt' }, 'SessionNoSet'],
    [{ Action: 'GetUSMSSendReceipt', SessionNoSet: [] }, 'SessionNoSet'],
    [{ Action: 'GetUSMSSendReceipt', SessionNoSet: [1] }, 'SessionNoSet'],
  ];
  for (const [payload, path] of cases) {
    const { json } = await callApi(server, payload);
    assert.equal(json.RetCode, 215407, path);
    assert.equal(json.Message, `Missing or invalid parameter: ${path}`);
  }
  assert.equal(server.acceptedCount(), 0);
});

test('at most 1000 numbers per request, counted across tasks', async (t) => {
  const server = await startTestServer(t);
  const split = (count) => ({
    Action: 'SendBatchUSMSMessage',
    TaskContent: [
      { TemplateId: 'A', Target: phoneList(500).map((Phone) => ({ Phone })) },
      { TemplateId: 'B', Target: phoneList(count - 500, '(1)415').map((Phone) => ({ Phone })) },
    ],
  });
  const tooMany = await callApi(server, split(1001));
  assert.deepEqual([tooMany.json.RetCode, tooMany.json.Message], [215408, 'Too many phone numbers (max 1000): 1001']);
  assert.equal(server.acceptedCount(), 0);
  assert.equal(server.requests[0].targets, 1001);
  assert.equal((await callApi(server, split(1000))).json.SuccessCount, 1000);
});

test('unknown or missing Action and non-JSON bodies get their own RetCodes', async (t) => {
  const server = await startTestServer(t);
  const unknown = await callApi(server, { Action: 'DeleteEverything' });
  assert.deepEqual([unknown.json.RetCode, unknown.json.Action], [215406, 'DeleteEverythingResponse']);
  assert.equal((await callApi(server, { TaskContent: [] }, { query: '' })).json.RetCode, 215405);
  for (const body of ['{"Action":', '', '[1,2]', 'null', '"text"']) {
    const { status, json } = await callApi(server, undefined, { body, query: '?Action=SendBatchUSMSMessage' });
    assert.equal(status, 200);
    assert.deepEqual([json.RetCode, json.Action], [215404, 'SendBatchUSMSMessageResponse'], body);
  }
});

test('receipts for created sessions; unknown sessions get an empty ReceiptSet', async (t) => {
  const server = await startTestServer(t, { now: () => NOW_MS });
  const sent = await callApi(server, {
    Action: 'SendBatchUSMSMessage',
    TaskContent: [{ TemplateId: 'T', Target: [{ Phone: '1', UserId: 'u1' }, { Phone: '2' }] }],
  }, { timestamp: NOW_S });
  const { json } = await callApi(server, { Action: 'GetUSMSSendReceipt', SessionNoSet: [sent.json.SessionNo, 'nope'] }, { timestamp: NOW_S });
  const receipt = { CostCount: 1, ReceiptResult: 'Success', ReceiptCode: 'DELIVRD', ReceiptDesc: 'delivered', ReceiptTime: NOW_S };
  assert.deepEqual(json, {
    RetCode: 0, Action: 'GetUSMSSendReceiptResponse', Message: 'success',
    Data: [
      { SessionNo: sent.json.SessionNo, ReceiptSet: [{ Phone: '1', ...receipt, UserId: 'u1' }, { Phone: '2', ...receipt, UserId: '' }] },
      { SessionNo: 'nope', ReceiptSet: [] },
    ],
  });
  const tooMany = await callApi(server, { Action: 'GetUSMSSendReceipt', SessionNoSet: phoneList(101) }, { timestamp: NOW_S });
  assert.equal(tooMany.json.RetCode, 215409);
});

test('duplicates() reports numbers accepted twice; reset() clears everything', async (t) => {
  const server = await startTestServer(t);
  const accepted = server.accepted;
  await callApi(server, sendBatchPayload(['1', '2']));
  await callApi(server, sendBatchPayload(['1']));
  await callApi(server, sendBatchPayload(['2'], { params: ['other'] })); // different params: not a duplicate
  assert.equal(server.acceptedCount(), 4);
  assert.deepEqual(server.duplicates(), [{ TemplateId: 'UTA0001', Phone: '1', count: 2 }]);
  server.injectFault({ kind: 'status500' });
  server.reset();
  assert.equal(server.accepted, accepted, 'the same array, emptied');
  assert.deepEqual([server.acceptedCount(), server.requests.length, server.faults.length], [0, 0, 0]);
  assert.deepEqual(server.duplicates(), []);
});

test('other paths and methods get a JSON 404 with a request id', async (t) => {
  const server = await startTestServer(t);
  const base = `http://127.0.0.1:${server.port}`;
  for (const [method, path] of [['GET', '/api'], ['POST', '/'], ['POST', '/api/x'], ['PUT', '/api']]) {
    const response = await fetch(base + path, { method, body: method === 'GET' ? undefined : '{}' });
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.match(response.headers.get('x-speedo-request-uuid'), UUID);
    assert.match((await response.json()).Message, /^Not Found/);
  }
  assert.ok(server.requests.every((entry) => entry.outcome === 'rejected 404'));
});

test('a body over maxBodyBytes gets 413 and nothing is recorded', async (t) => {
  const server = await startTestServer(t, { maxBodyBytes: 1000 });
  const { status, headers } = await callApi(server, sendBatchPayload(phoneList(100)));
  assert.equal(status, 413);
  assert.match(headers.get('x-speedo-request-uuid'), UUID);
  assert.equal(server.acceptedCount(), 0);
  assert.equal((await callApi(server, sendBatchPayload(['1']))).json.RetCode, 0, 'still serving');
});

test('garbage of every kind does not bring the server down', async (t) => {
  const server = await startTestServer(t);
  const garbage = [
    ['GARBAGE\r\n\r\n', /^HTTP\/1\.1 400 /],
    ['\x00\xff\xfe binary \x01', /^HTTP\/1\.1 400 /],
    ['POST /api HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /^HTTP\/1\.1 400 /],
    ['POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', /^HTTP\/1\.1 400 /],
    ['POST //:: HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}', /^HTTP\/1\.1 404 /],
    [`POST /api HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`, /^HTTP\/1\.1 431 /],
    ['POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{"a"', /^$/], // waits for the 5th byte
  ];
  for (const [bytes, answer] of garbage) {
    assert.match(await rawExchange(server.port, Buffer.from(bytes, 'latin1'), 300), answer, JSON.stringify(bytes.slice(0, 40)));
  }
  // Well-formed HTTP, odd JSON: each is signed as parsed, so it reaches the deepest checks.
  const weirdBodies = [
    '{"Action":"SendBatchUSMSMessage","TaskContent":[{"TemplateId":{},"Target":[[]]}]}',
    `{"Action":"SendBatchUSMSMessage","x":${'['.repeat(100000)}${']'.repeat(100000)}}`,
    '['.repeat(100000) + ']'.repeat(100000),
    '{"__proto__":{"x":1},"Action":"__proto__"}',
    '{"Action":"hasOwnProperty"}',
    '"\\ud800"',
  ];
  for (const body of weirdBodies) {
    const { status, json } = await callApi(server, JSON.parse(body), { body });
    assert.equal(status, 200);
    assert.notEqual(json.RetCode, 0);
  }
  assert.equal((await callApi(server, sendBatchPayload(['1']))).json.RetCode, 0, 'still serving');
  assert.equal(server.acceptedCount(), 1);
});

test('latencyMs delays every answer', async (t) => {
  const server = await startTestServer(t, { latencyMs: 150 });
  const started = performance.now();
  assert.equal((await callApi(server, sendBatchPayload(['1']))).json.RetCode, 0);
  assert.ok(performance.now() - started >= 140);
});

// Its speed is printed, not asserted: speed belongs to the benchmarks (a CPU
// bound here failed CI on a slower machine); what is asserted is that every
// number of a sendBulk-sized load is answered and counted.
test('100,000 numbers in 100 requests of 1000: every one accepted and counted', async (t) => {
  const server = await startTestServer(t);
  const bodies = Array.from({ length: 100 }, (_, r) => {
    const payload = sendBatchPayload(phoneList(1000, `(86)1${String(r).padStart(2, '0')}`), { params: ['123456', 'name'] });
    return { payload, headers: signedHeaders(payload), body: JSON.stringify(payload) };
  });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (const { payload, headers, body } of bodies) {
    const { json } = await callApi(server, payload, { headers, body });
    assert.equal(json.SuccessCount, 1000);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  t.diagnostic(`100 x 1000 numbers: ${(performance.now() - started).toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (server + client)`);
  assert.equal(server.acceptedCount(), 100_000);
});

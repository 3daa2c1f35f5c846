// The command-line entry point: starts, answers a signed request, stops on a signal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callApi, sendBatchPayload } from './signed-client.mjs';

const CLI = fileURLToPath(new URL('../../pkg/mock/cli.mjs', import.meta.url));

async function startCli(t, args) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.exitCode === null && child.kill('SIGKILL'));
  let output = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    output += chunk;
    if (output.includes('\n')) break;
  }
  return { child, firstLine: output.split('\n')[0] };
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  test(`cli serves signed requests and stops on ${signal}`, async (t) => {
    const { child, firstLine } = await startCli(t, [
      '--port', '0', '--public-key', 'K', '--private-key', 'S', '--blacklist', '(86)13800000000, 2', '--latency-ms', '1',
    ]);
    const [, url] = firstLine.match(/^mock uSpeedo API listening on (http:\/\/127\.0\.0\.1:\d+\/api)$/) ?? [];
    assert.ok(url, firstLine);
    const { json } = await callApi({ url }, sendBatchPayload(['(86)13800000000', '1']), { publicKey: 'K', privateKey: 'S' });
    assert.deepEqual([json.RetCode, json.SuccessCount, json.FailContent[0].Target[0].Phone], [0, 1, '(86)13800000000']);
    child.kill(signal);
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });
}

test('cli refuses to start without keys', async () => {
  const child = spawn(process.execPath, [CLI, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH },
  });
  let errors = '';
  child.stderr.on('data', (chunk) => { errors += chunk; });
  const [code] = await once(child, 'exit');
  assert.equal(code, 1);
  assert.match(errors, /publicKey is required/);
});

test('cli takes templates from a file, undeliverable numbers and a receipt delay', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'uspeedo-mock-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'templates.json');
  writeFileSync(file, JSON.stringify({ UTA0001: 'Code {1}', UTA_REVIEW: { Template: 'Hi {1}', Status: 1, TemplateName: 'Greeting' } }));
  const { child, firstLine } = await startCli(t, [
    '--port', '0', '--public-key', 'K', '--private-key', 'S', '--templates-file', file,
    '--undeliverable', '(86)13800000001', '--receipt-delay-ms', '0',
  ]);
  const url = firstLine.match(/(http:\/\/\S+)$/)?.[1];
  const keys = { publicKey: 'K', privateKey: 'S' };
  const sent = (await callApi({ url }, sendBatchPayload(['(86)13800000001', '(86)13800000002']), keys)).json;
  assert.equal(sent.SuccessCount, 2);
  const receipts = (await callApi({ url }, { Action: 'GetUSMSSendReceipt', SessionNoSet: [sent.SessionNo] }, keys)).json;
  const results = Object.fromEntries(receipts.Data[0].ReceiptSet.map((r) => [r.Phone, r.ReceiptResult]));
  assert.deepEqual(results, { '(86)13800000001': 'Fail', '(86)13800000002': 'Success' });
  const templates = (await callApi({ url }, { Action: 'QueryUSMSTemplate', TemplateId: ['UTA_REVIEW'] }, keys)).json;
  assert.deepEqual([templates.Data[0].Template, templates.Data[0].Status, templates.Data[0].TemplateName], ['Hi {1}', 1, 'Greeting']);
  child.kill('SIGTERM');
  await once(child, 'exit');
});

test('cli explains its options on a bad one', async () => {
  const child = spawn(process.execPath, [CLI, '--public-key', 'K', '--private-key', 'S', '--latency-ms', 'soon'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk) => { errors += chunk; });
  const [code] = await once(child, 'exit');
  assert.equal(code, 1);
  assert.match(errors, /--latency-ms must be a non-negative integer/);
  assert.match(errors, /--templates-file/);
});

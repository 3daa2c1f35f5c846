#!/usr/bin/env node
// The mock uSpeedo API from the command line (`npx uspeedo-mock`, or
// `node pkg/mock/cli.mjs` in this repository), for testing your own code
// against it the way Stripe users run stripe-mock. Keys fall back to
// USPEEDO_PUBLIC_KEY / USPEEDO_PRIVATE_KEY.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startMockServer } from './server.mjs';

const USAGE = `usage: uspeedo-mock --public-key K --private-key S [options]

  --port N                 listen on 127.0.0.1:N (default 8787; 0 picks a free port)
  --blacklist P1,P2        numbers (as sent, e.g. "(86)13800000000") refused as blacklisted
  --templates ID1,ID2      the only known TemplateIds (approved, text unknown)
  --templates-file F.json  known templates from a file: { "UTA1": "text {1}", "UTA2": { "Template": "…", "Status": 1 } }
  --undeliverable P1,P2    numbers accepted, then reported Fail in their receipts
  --receipt-delay-ms MS    receipts stay pending (Unknow) this long after the send (default 0)
  --latency-ms MS          delay of every answer (default 0)
  --max-body-bytes N       larger bodies get HTTP 413 (default 8 MiB)`;

const list = (text) => (text ? text.split(',').map((item) => item.trim()).filter(Boolean) : []);

function integer(name, text) {
  if (!/^\d+$/.test(text)) throw new TypeError(`--${name} must be a non-negative integer, got ${text}`);
  return Number(text);
}

function templatesFrom(values) {
  if (values.templates !== undefined && values['templates-file'] !== undefined) {
    throw new TypeError('give --templates or --templates-file, not both');
  }
  if (values['templates-file'] !== undefined) return JSON.parse(readFileSync(values['templates-file'], 'utf8'));
  return values.templates === undefined ? null : list(values.templates);
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      'public-key': { type: 'string', default: process.env.USPEEDO_PUBLIC_KEY },
      'private-key': { type: 'string', default: process.env.USPEEDO_PRIVATE_KEY },
      blacklist: { type: 'string' },
      templates: { type: 'string' },
      'templates-file': { type: 'string' },
      undeliverable: { type: 'string' },
      'receipt-delay-ms': { type: 'string', default: '0' },
      'latency-ms': { type: 'string', default: '0' },
      'max-body-bytes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const server = await startMockServer({
    publicKey: values['public-key'],
    privateKey: values['private-key'],
    port: integer('port', values.port),
    blacklist: list(values.blacklist),
    templates: templatesFrom(values),
    undeliverable: list(values.undeliverable),
    receiptDelayMs: integer('receipt-delay-ms', values['receipt-delay-ms']),
    latencyMs: integer('latency-ms', values['latency-ms']),
    ...(values['max-body-bytes'] === undefined ? {} : { maxBodyBytes: integer('max-body-bytes', values['max-body-bytes']) }),
  });
  console.log(`mock uSpeedo API listening on ${server.url}`);

  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`mock uSpeedo API: ${error.message}\n\n${USAGE}`);
  process.exit(1);
});

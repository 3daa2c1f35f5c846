#!/usr/bin/env node
// Runs the mock uSpeedo API from the command line, e.g. for the demo:
//   node tests/mock-uspeedo/cli.mjs --port 8787 --public-key K --private-key S \
//     [--blacklist "(86)13800000000,(1)4155550100"] [--templates UTA1,UTA2] [--latency-ms 50]
// Keys fall back to USPEEDO_PUBLIC_KEY / USPEEDO_PRIVATE_KEY.
import { parseArgs } from 'node:util';
import { startMockServer } from './server.mjs';

const list = (text) => (text ? text.split(',').map((item) => item.trim()).filter(Boolean) : []);

function parseIntegerOption(name, text) {
  if (!/^\d+$/.test(text)) throw new TypeError(`--${name} must be a non-negative integer, got ${text}`);
  return Number(text);
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      'public-key': { type: 'string', default: process.env.USPEEDO_PUBLIC_KEY },
      'private-key': { type: 'string', default: process.env.USPEEDO_PRIVATE_KEY },
      blacklist: { type: 'string' },
      templates: { type: 'string' },
      'latency-ms': { type: 'string', default: '0' },
    },
  });
  const server = await startMockServer({
    publicKey: values['public-key'],
    privateKey: values['private-key'],
    port: parseIntegerOption('port', values.port),
    blacklist: list(values.blacklist),
    templates: values.templates === undefined ? null : list(values.templates),
    latencyMs: parseIntegerOption('latency-ms', values['latency-ms']),
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
  console.error(`mock uSpeedo API: ${error.message}`);
  process.exit(1);
});

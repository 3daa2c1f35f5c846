// Run by profile.mjs under `node --cpu-prof`: repeats one measured workload
// so the profile says where the time goes. `node profile-workload.mjs NAME`.
// USPEEDO_BENCH_DIST points it at another build of the package (e.g. one
// that keeps the wasm name section, so frames carry Rust function names).
import { KEYS, UNUSED_BASE_URL, cannedFetch, importPackage, makeRequest } from "./fixtures.mjs";

const name = process.argv[2];
const sms = await importPackage();

const workloads = {
  "prepare-1k": async () => {
    const client = new sms.Client({ ...KEYS, baseUrl: UNUSED_BASE_URL });
    const request = makeRequest(1000);
    for (let i = 0; i < 400; i++) await client.prepare(request);
  },
  "plan-100k": async () => {
    const client = new sms.Client({ ...KEYS, baseUrl: UNUSED_BASE_URL });
    const request = makeRequest(100_000);
    for (let i = 0; i < 6; i++) client.planBulk(request);
  },
  "send-canned-100k": async () => {
    const client = new sms.Client({ ...KEYS, baseUrl: UNUSED_BASE_URL, fetch: cannedFetch });
    const request = makeRequest(100_000);
    for (let i = 0; i < 4; i++) await client.sendBulk(request, { concurrency: 8 });
  },
  "send-mock-100k": async () => {
    const { startMockProcess } = await import("../bulk.mjs");
    const mock = await startMockProcess();
    try {
      const client = new sms.Client({ ...KEYS, baseUrl: mock.url });
      const request = makeRequest(100_000);
      for (let i = 0; i < 3; i++) {
        await client.sendBulk(request, { concurrency: 8 });
        await mock.ask("reset");
      }
    } finally {
      await mock.close();
    }
  },
  startup: async () => sms.wasmMemoryBytes(),
};

if (!workloads[name]) throw new Error(`unknown workload ${name}`);
await workloads[name]();

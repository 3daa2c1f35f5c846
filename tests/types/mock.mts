// Compiled with `tsc --strict --module nodenext`: uspeedo-sms/mock as a user's
// own test suite would use it; misuse does not compile.
import { startMockServer, type MockServer } from "uspeedo-sms/mock";
import { Client } from "uspeedo-sms";

const mock: MockServer = await startMockServer({
  publicKey: "pk", privateKey: "sk", templates: { UTA1: "Code {1}", UTA2: { Template: "Hi {1}", Status: 1 } },
  undeliverable: ["(86)13800000001"], receiptDelayMs: 1000,
});
mock.injectFault({ kind: "status429", retryAfter: 1, times: 2 });
mock.injectFault({ kind: "hang", match: (payload) => payload !== null });
const client = new Client({ publicKey: "pk", privateKey: "sk", baseUrl: mock.url });
await client.sendBatch({ TaskContent: [{ TemplateId: "UTA1", Target: [{ Phone: "+86 138 0000 0002", TemplateParams: ["1"] }] }] });
const texted: string[] = mock.accepted.map((a) => a.Phone);
const twice: number = mock.duplicates().length;
console.log(texted, twice, mock.requests.at(-1)?.outcome);
await mock.close();

// @ts-expect-error: the keys are required
await startMockServer({ port: 0 });
// @ts-expect-error: an unknown fault kind
mock.injectFault({ kind: "explode" });

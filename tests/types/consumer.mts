// Compiled with `tsc --strict --module nodenext`: uses every export as an ESM
// user would, and proves with @ts-expect-error that misuse does not compile.
import {
  Client, UspeedoError, createProxyHandler, previewMessage, signPayload, validateBatch,
  type BulkReport, type BulkPlan,
  type ClientOptions, type FailedNumber, type Issue, type IssueCode, type MessagePreview, type PreparedRequest,
  type SendBatchRequest, type SendResult, type ValidationResult,
} from "uspeedo-sms";
import { init, type InitOptions, validateBatch as validateInPage } from "uspeedo-sms/init";

const request: SendBatchRequest = {
  TaskContent: [{ TemplateId: "UTA1", SenderId: "Shop", Target: [{ Phone: "+852 5531 1111", TemplateParams: ["123456"] }] }],
};

const options: ClientOptions = { publicKey: "pk", privateKey: "sk", timeoutMs: 5000, maxRetries: 1 };
const sms = new Client(options);
const fromEnv: Client = Client.fromEnv({ USPEEDO_PUBLIC_KEY: "pk", USPEEDO_PRIVATE_KEY: "sk" });
const browser = new Client({ proxyUrl: "/sms" });

// @ts-expect-error a proxy client never holds the private key
new Client({ proxyUrl: "/sms", privateKey: "sk" });
// @ts-expect-error a direct client needs its key pair
new Client({ publicKey: "pk" });
// @ts-expect-error timeoutMs is a number
new Client({ publicKey: "pk", privateKey: "sk", timeoutMs: "5s" });

async function send(): Promise<void> {
  const prepared: PreparedRequest = await sms.prepare(request);
  const body: string = prepared.body;
  try {
    const result: SendResult = await sms.sendBatch(request, { signal: AbortSignal.timeout(1000), timeoutMs: 500 });
    const session: string | undefined = result.SessionNo;
    const failed: FailedNumber[] = result.failed;
    const again: SendBatchRequest | null = result.resendRequest;
    console.log(body, session, failed[0]?.FailureDetails, again?.TaskContent.length, result.requestId);
  } catch (error) {
    if (error instanceof UspeedoError) {
      const delivery: "not_sent" | "unknown" = error.delivery;
      switch (error.code) {
        case "VALIDATION": {
          const first: Issue | undefined = error.issues[0];
          const code: IssueCode | undefined = first?.code;
          console.log(code, error.issueCount);
          break;
        }
        case "API":
          console.log(error.retCode, error.apiMessage, error.failContent.length);
          break;
        case "HTTP":
          console.log(error.status, error.bodyExcerpt);
          // @ts-expect-error retCode exists only on API errors
          console.log(error.retCode);
          break;
        default:
          console.log(error.code, delivery, error.requestId);
      }
    }
  }
  // @ts-expect-error TemplateParams are strings
  await sms.sendBatch({ TaskContent: [{ TemplateId: "T", Target: [{ Phone: "1", TemplateParams: [1] }] }] });
  // @ts-expect-error the field is TemplateId, as in uSpeedo's docs
  await sms.sendBatch({ TaskContent: [{ templateId: "T", Target: [{ Phone: "1" }] }] });
}

async function bulk(): Promise<void> {
  const plan: BulkPlan = sms.planBulk(request, { chunkSize: 500, dedupe: true });
  const report: BulkReport = await sms.sendBulk(request, {
    concurrency: 8, ratePerSecond: 20, deadlineMs: 60_000, signal: AbortSignal.timeout(120_000),
    onProgress: (p) => console.log(p.chunksDone, p.chunksTotal, p.accepted),
  });
  const accounted = report.totals.accepted + report.totals.failed + report.totals.unknown + report.totals.notAttempted;
  console.log(plan.chunkCount, accounted, report.failed[0]?.reason, report.chunks[0]?.status, report.resendRequest);
  // @ts-expect-error chunkSize is a number
  sms.planBulk(request, { chunkSize: "big" });
}

const proxy: (request: Request) => Promise<Response> = createProxyHandler({
  publicKey: "pk", privateKey: "sk", allowTemplates: ["UTA1"], maxTargets: 500,
  authorize: async (req) => req.headers.get("cookie")?.includes("session=") ?? false,
});
// @ts-expect-error authorize must return a boolean
createProxyHandler({ publicKey: "pk", privateKey: "sk", authorize: () => "yes" });

const checked: ValidationResult = validateBatch(request, { templates: { UTA1: "Code {1}" }, maxTargets: null });
if (checked.ok) {
  const normalized: SendBatchRequest = checked.normalized;
  console.log(normalized.TaskContent[0]?.Target[0]?.Phone);
} else {
  console.log(checked.errors.map((e) => `${e.path}: ${e.message}`), checked.errorCount);
}
const signature: string = signPayload({ Action: "SendBatchUSMSMessage", TaskContent: [] }, "key");
const preview: MessagePreview = previewMessage("Code {1}", ["42"]);
const encoding: "GSM-7" | "UCS-2" = preview.encoding;
// @ts-expect-error params are strings
previewMessage("Code {1}", [42]);
// uspeedo-sms/init: the .wasm's URL, bytes or a fetch answer (a WebAssembly.Module where lib "dom" is on).
async function loadInPage(): Promise<boolean> {
  const options: InitOptions = { wasm: new URL("/uspeedo_sms_browser_bg.wasm", "https://app.example") };
  await init(options);
  await init({ wasm: new Uint8Array(8) });
  await init({ wasm: fetch("/uspeedo_sms_browser_bg.wasm") });
  // @ts-expect-error init needs to be told where the .wasm is
  await init({});
  return validateInPage(request).ok;
}
console.log(fromEnv, browser, send, bulk, proxy, signature, encoding, sms.toJSON().mode, loadInPage);

// What the demo runs against: the embedded mock uSpeedo API (default) or,
// when both keys are in the environment, the real one.

/**
 * The mock's approved templates. The texts are given to the proxy (it
 * re-checks the parameter count) and to the page (it fills in the text for
 * the preview). A TemplateId not known to the mock is "template not exist"
 * there, so a typo shows as a failed batch rather than a silent success.
 */
export const MOCK_TEMPLATES = {
  UTA2501DEMOCODE: "Your {1} verification code is {2}. It expires in 10 minutes.",
  UTA2501DEMOSHIP: "Hi {1}, your order {2} has shipped and should arrive on {3}.",
  UTA2501DEMONEWS: "Spring sale: 20% off everything until Sunday. Reply STOP to opt out.",
};

/** The names the mock gives them (uSpeedo's TemplateName). */
const MOCK_TEMPLATE_NAMES = {
  UTA2501DEMOCODE: "Verification code", UTA2501DEMOSHIP: "Order shipped", UTA2501DEMONEWS: "Spring sale",
  UTA2501DEMOPROMO: "Members' night",
};

/** A template still in review at the mock: the page shows it and cannot send it. */
export const MOCK_TEMPLATES_IN_REVIEW = {
  UTA2501DEMOPROMO: "Members' night: {1} on {2}. Reply STOP to opt out.",
};

/** Every template the mock knows, as its `templates` option takes them (text, status). */
export function mockTemplates() {
  const entry = (status) => ([id, text]) => [id, { Template: text, Status: status, TemplateName: MOCK_TEMPLATE_NAMES[id] }];
  return Object.fromEntries([...Object.entries(MOCK_TEMPLATES).map(entry(2)), ...Object.entries(MOCK_TEMPLATES_IN_REVIEW).map(entry(1))]);
}

/**
 * Numbers the mock accepts and then reports undeliverable in their receipts
 * (as a switched-off phone would), and how long receipts stay pending: the
 * delivery view has something to show.
 */
export const MOCK_UNDELIVERABLE = ["(86)13800000021", "(86)13800000042", "(44)7700900123"];
export const MOCK_RECEIPT_DELAY_MS = 2_000;

/**
 * Numbers the mock answers with "phone in the black list", written the way the
 * package normalises them (the mock compares exactly what is sent), so every
 * demo run has a few failed numbers to look at and resend.
 */
export const MOCK_BLACKLIST = ["(86)13800000013", "(1)4155550123"];

/**
 * Reads the mode from the environment. Real mode needs both keys: one alone is
 * almost certainly a mistake, and silently falling back to the mock would hide it.
 */
export function demoSettings(env) {
  const publicKey = env.USPEEDO_PUBLIC_KEY?.trim() || "";
  const privateKey = env.USPEEDO_PRIVATE_KEY?.trim() || "";
  if (!publicKey && !privateKey) return { mode: "mock" };
  if (!publicKey || !privateKey) {
    throw new Error("set both USPEEDO_PUBLIC_KEY and USPEEDO_PRIVATE_KEY for the real API, or neither for the mock");
  }
  // Real SMS cost money and reach people: a real-mode demo sends only the
  // templates named here, and refuses to start without the list.
  const allowTemplates = (env.USPEEDO_ALLOW_TEMPLATES ?? "").split(",").map((id) => id.trim()).filter(Boolean);
  if (allowTemplates.length === 0) {
    throw new Error("real mode needs a template allow-list: set USPEEDO_ALLOW_TEMPLATES=UTA1,UTA2 "
      + "(the templates this demo may send); unset both keys for the mock");
  }
  return {
    mode: "real",
    publicKey,
    privateKey,
    baseUrl: env.USPEEDO_API_BASE_URL?.trim() || undefined,
    accountId: env.USPEEDO_ACCOUNT_ID?.trim() || undefined,
    allowTemplates,
  };
}

/** The public key shortened for logs and the page: enough to recognise, not to copy. */
export function maskKey(key) {
  return key.length <= 8 ? "…" : `${key.slice(0, 4)}…${key.slice(-2)}`;
}

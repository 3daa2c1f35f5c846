// The demo admin page: wires the form, the live check, the preview, sending
// and the results together. Every rule (phones, parameters, lengths, chunking,
// what may be resent) comes from the uspeedo-sms package; this file only keeps
// the page's state and moves it between the views.
import { createMappingView, headerToMap } from "./js/csv-mapping.js";
import { createDeliveryView } from "./js/delivery-view.js";
import { byId, count, debounce, download, plural } from "./js/dom.js";
import { EXAMPLE_RECIPIENTS, EXAMPLE_TEMPLATE } from "./js/example.js";
import { toCsv, toJson } from "./js/export.js";
import { pageClient } from "./js/page-client.js";
import { createPlanView, readPrices, readSuppressList } from "./js/plan-view.js";
import { createPreview } from "./js/preview.js";
import { buildRequest, lineRange, parseRecipients } from "./js/recipients.js";
import { renderHistory, renderResults } from "./js/results-view.js";
import { createSender } from "./js/sending.js";
import { createTemplatesView } from "./js/templates-view.js";
import { checkCampaign } from "./js/validation.js";
import { createValidationView } from "./js/validation-view.js";

const CHECK_DELAY_MS = 250; // after typing pauses: a 2,500-line check takes tens of ms

const inputs = {
  templateId: byId("template-id"),
  senderId: byId("sender-id"),
  templateText: byId("template-text"),
  recipients: byId("recipients"),
  suppress: byId("suppress"),
  prices: byId("prices"),
};
// Receipts take minutes at uSpeedo; the mock answers within seconds.
const RECEIPT_INTERVAL_MS = { real: 30_000, mock: 1_000 };
const sendButton = byId("send");
const sendHint = byId("send-hint");

const state = {
  info: { mode: "mock", templates: {}, blacklist: [] },
  parsed: { rows: [], header: null, lineCount: 1 },
  check: null,
  runs: [],
  autoFilledText: null, // template text the page filled in, replaced when the id changes
  templateOk: true, // false when uSpeedo says the template in the form is not approved
  checkedInput: null, // what the last finished check saw (checkInput())
  plan: null,
};

const preview = createPreview();
const sender = createSender();
const validationView = createValidationView({ onJump: jumpToLine });
const planView = createPlanView();
const deliveryView = createDeliveryView();
const templatesView = createTemplatesView({ onPick: pickTemplate });
const mappingView = createMappingView({
  onApply(text) {
    inputs.recipients.value = text;
    refresh();
    inputs.recipients.focus();
  },
});

function readForm() {
  return { templateId: inputs.templateId.value, senderId: inputs.senderId.value, templateText: inputs.templateText.value };
}

/** The templates the client should check against: the one in the form, if its text is known. */
function formTemplates(form = readForm()) {
  return form.templateText && form.templateId ? { [form.templateId]: form.templateText } : undefined;
}

// ---- checking ---------------------------------------------------------------

// A check of 100,000 lines takes seconds: it runs in steps (parse, check,
// show, plan), yielding to the browser between them so the page paints and
// takes input; a newer edit cancels the steps of an older one.
let checkRun = 0;
const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

/** What a check depends on: the same input needs no second check before sending. */
function checkInput() {
  return JSON.stringify([readForm(), inputs.recipients.value, inputs.suppress.value, inputs.prices.value, sendOptions()]);
}

async function refresh() {
  const run = ++checkRun;
  const stale = () => run !== checkRun;
  const input = checkInput();
  state.checkedInput = null;
  const form = readForm();
  state.parsed = parseRecipients(inputs.recipients.value);
  const { rows, lineCount } = state.parsed;
  state.check = null;
  state.plan = null;
  updateSendButton();
  if (rows.length === 0) {
    validationView.renderEmpty(lineCount);
  } else {
    if (rows.length > 10_000) {
      validationView.renderBusy(rows.length);
      await nextFrame();
      if (stale()) return;
    }
    const check = checkCampaign(form, rows);
    if (stale()) return;
    state.check = check;
    validationView.render(check, state.parsed);
  }
  preview.update({ templateText: form.templateText, rows });
  state.templateOk = templatesView.show(form.templateId);
  if (state.check?.ok) {
    await nextFrame();
    if (stale()) return;
  }
  updatePlan(form);
  state.checkedInput = input;
  updateSendButton();
}
const refreshSoon = debounce(refresh, CHECK_DELAY_MS);

/** The suppression list and the cost, from planBulk, once the recipients check out. */
function updatePlan(form) {
  state.plan = null;
  if (!state.check?.ok) return planView.render({});
  const suppress = readSuppressList(inputs.suppress.value);
  const { prices, error } = readPrices(inputs.prices.value);
  if (error) return planView.render({ error });
  const { dedupe, chunkSize } = sendOptions();
  try {
    const request = buildRequest(form, state.parsed.rows);
    state.plan = pageClient(formTemplates(form)).planBulk(request, { dedupe, chunkSize, suppress, prices });
    planView.render({ plan: state.plan, suppressCount: suppress.length });
  } catch (e) {
    // A suppression entry that is no phone number, a price that is no number: named by the package.
    planView.render({ error: e.message });
  }
}

function updateSendButton() {
  const { rows } = state.parsed;
  const check = state.check;
  const ready = check?.ok === true && state.plan !== null && state.templateOk && !sender.busy;
  sendButton.disabled = !ready;
  const suppressed = state.plan?.suppressed ?? 0;
  sendButton.textContent = !rows.length ? "Send"
    : suppressed ? `Send to ${count(rows.length - suppressed)} of ${plural(rows.length, "recipient")} (${count(suppressed)} suppressed)`
      : `Send to ${plural(rows.length, "recipient")}`;
  if (sender.busy) sendHint.textContent = "Sending…";
  else if (!rows.length) sendHint.textContent = "Add recipients first.";
  else if (!check) sendHint.textContent = "Checking…";
  else if (!check.ok) sendHint.textContent = `Fix ${plural(check.errorCount, "error")} first (see Check).`;
  else if (!state.templateOk) sendHint.textContent = "This template is not approved at uSpeedo: pick an approved one.";
  else if (!state.plan) sendHint.textContent = "Fix the suppression list or the prices first (see Cost).";
  else sendHint.textContent = state.info.mode === "real" ? "Real SMS: you will be asked to confirm." : "Goes to the mock uSpeedo API.";
}

/** Selects a recipient line in the textarea and previews it. */
function jumpToLine(line) {
  const box = inputs.recipients;
  const { start, end } = lineRange(box.value, line);
  box.focus();
  box.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 20;
  box.scrollTop = Math.max(0, (line - 1) * lineHeight - box.clientHeight / 3);
  box.scrollLeft = 0;
  preview.showLine(line);
}

// ---- sending ------------------------------------------------------------------

function sendOptions() {
  const number = (input, fallback, min, max) => {
    const value = Number(input.value);
    return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
  };
  return {
    suppress: readSuppressList(inputs.suppress.value),
    dedupe: byId("opt-dedupe").checked,
    chunkSize: number(byId("opt-chunk-size"), 1000, 1, 1000),
    concurrency: number(byId("opt-concurrency"), 4, 1, 64),
  };
}

function confirmReal(numbers) {
  if (state.info.mode !== "real") return true;
  return window.confirm(`Send ${plural(numbers, "real SMS", "real SMS")} through ${state.info.apiUrl}? This cannot be undone.`);
}

/** Maps report entries back to the operator's lines. */
function lineMapping(kind, request, rows, phoneLines) {
  const targetAt = (path) => {
    const match = /^TaskContent\[(\d+)\]\.Target\[(\d+)\]/.exec(path);
    return match ? { task: request.TaskContent[Number(match[1])], index: Number(match[2]) } : null;
  };
  if (kind === "campaign") {
    // The campaign request is rows in order: Target[i] is rows[i].
    const lineOfPath = (path) => rows[targetAt(path)?.index]?.line ?? null;
    return { lineOfPath, lineOf: (entry) => lineOfPath(entry.path) };
  }
  // A resend holds only some numbers: find their line by template and (normalised) phone.
  const lineOf = (entry) => phoneLines.get(`${entry.TemplateId}\n${entry.Phone}`) ?? null;
  const lineOfPath = (path) => {
    const at = targetAt(path);
    const target = at?.task?.Target[at.index];
    return target ? lineOf({ TemplateId: at.task.TemplateId, Phone: target.Phone }) : null;
  };
  return { lineOf, lineOfPath };
}

async function runSend({ kind, request, of = null, templates, phoneLines, rows }) {
  const options = sendOptions();
  updateSendButton();
  const number = state.runs.length + 1;
  const startedAt = new Date();
  const what = kind === "resend" ? `resend #${number}` : `send #${number}`;
  const sending = sender.send(request, { templates, ...options, what });
  updateSendButton(); // the sender is busy now
  const resendButton = byId("resend-failed");
  if (resendButton) resendButton.disabled = true; // one send at a time
  const { report } = await sending;
  updateSendButton();
  if (!report) {
    // Nothing was sent: the previous results (and their resend button) stand.
    const last = state.runs.at(-1);
    if (last) showRun(last);
    return;
  }
  const run = { number, kind, of, startedAt, request, report, templates, phoneLines, delivery: null, ...lineMapping(kind, request, rows, phoneLines) };
  state.runs.push(run);
  showRun(run);
  renderHistory(state.runs, (await fetchInfo())?.mock ?? null);
  byId("results-heading").focus(); // keyboard and screen-reader users land on the outcome
  if (report.sessionNos.length) {
    const intervalMs = RECEIPT_INTERVAL_MS[state.info.mode] ?? RECEIPT_INTERVAL_MS.real;
    const delivery = await deliveryView.track(run, { intervalMs, onUpdate: (soFar) => (run.delivery = soFar) });
    if (delivery) run.delivery = delivery;
  }
}

async function sendCampaign() {
  // Never send what was not checked (the debounced check may be pending).
  if (state.checkedInput !== checkInput()) await refresh();
  const { check, parsed } = state;
  if (!check?.ok || sender.busy) return;
  const form = readForm();
  const request = buildRequest(form, parsed.rows);
  if (!confirmReal(parsed.rows.length)) return;
  // Normalised phones (as uSpeedo reports them) -> line, for resends' results.
  const phoneLines = new Map();
  check.normalized.TaskContent[0].Target.forEach((target, i) => {
    const key = `${check.normalized.TaskContent[0].TemplateId}\n${target.Phone}`;
    if (!phoneLines.has(key)) phoneLines.set(key, parsed.rows[i].line);
  });
  await runSend({ kind: "campaign", request, templates: formTemplates(form), phoneLines, rows: parsed.rows });
}

async function resend(run) {
  const request = run.report.resendRequest;
  if (!request || sender.busy) return;
  const numbers = request.TaskContent.reduce((sum, task) => sum + task.Target.length, 0);
  if (!confirmReal(numbers)) return;
  await runSend({ kind: "resend", request, of: run.number, templates: run.templates, phoneLines: run.phoneLines, rows: [] });
}

function showRun(run) {
  renderResults(run, { onResend: resend, onDownload: downloadReport });
}

function downloadReport(run, format) {
  const name = `sms-results-send-${run.number}.${format}`;
  if (format === "csv") download(name, toCsv(run), "text/csv");
  else download(name, toJson(run));
}

// ---- server info, banner, example -------------------------------------------------

async function fetchInfo() {
  try {
    const response = await fetch("/api/info", { cache: "no-store" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function showMode(info) {
  const badge = byId("mode-badge");
  const banner = byId("mode-banner");
  banner.hidden = false;
  if (info.mode === "real") {
    // The example's numbers are made up, but some may exist: not offered when SMS are real.
    byId("load-example").hidden = true;
    badge.textContent = "REAL API";
    badge.className = "badge is-real";
    banner.className = "banner is-real";
    banner.setAttribute("role", "alert");
    banner.textContent = `Real mode: messages go to real phones through ${info.apiUrl} (key ${info.publicKey}). `
      + "Every send asks for confirmation.";
  } else {
    badge.textContent = "Mock API";
    badge.className = "badge is-mock";
    banner.className = "banner is-mock";
    banner.textContent = "Demo mode: an embedded mock of the uSpeedo API answers; no SMS leaves this machine. "
      + `Known templates: ${Object.keys(info.templates).join(", ")}. `
      + `Blacklisted there (they fail): ${info.blacklist.join(", ")}.`;
  }
  byId("template-ids").replaceChildren(...Object.keys(info.templates).map((id) => new Option(info.templates[id] || id, id)));
}

/** A template picked from those uSpeedo returned: its id and text go into the form. */
function pickTemplate(template) {
  inputs.templateId.value = template.TemplateId;
  inputs.templateText.value = template.Template;
  state.autoFilledText = template.Template;
  refresh();
}

/** Fills in a known template's text, unless the operator typed their own. */
function onTemplateIdInput() {
  const text = state.info.templates[inputs.templateId.value];
  const current = inputs.templateText.value;
  if (text && (current === "" || current === state.autoFilledText)) {
    inputs.templateText.value = text;
    state.autoFilledText = text;
  }
  refreshSoon();
}

function useExample() {
  const ids = Object.keys(state.info.templates);
  inputs.templateId.value = ids.includes(EXAMPLE_TEMPLATE.id) ? EXAMPLE_TEMPLATE.id : inputs.templateId.value || EXAMPLE_TEMPLATE.id;
  if (!inputs.templateText.value || inputs.templateText.value === state.autoFilledText) {
    inputs.templateText.value = EXAMPLE_TEMPLATE.text;
    state.autoFilledText = EXAMPLE_TEMPLATE.text;
  }
  inputs.recipients.value = EXAMPLE_RECIPIENTS;
  refresh();
  inputs.recipients.focus();
}

async function loadFile(file) {
  if (!file) return;
  const text = await file.text();
  // A header in another layout (a CRM export): ask which column is what.
  const header = headerToMap(text);
  if (header) return mappingView.show(text, header);
  inputs.recipients.value = text;
  refresh();
  inputs.recipients.focus();
}

// ---- start ---------------------------------------------------------------------

async function start() {
  for (const input of Object.values(inputs)) input.addEventListener("input", refreshSoon);
  inputs.templateId.addEventListener("input", onTemplateIdInput);
  sendButton.addEventListener("click", sendCampaign);
  byId("load-csv").addEventListener("click", () => byId("csv-file").click());
  byId("csv-file").addEventListener("change", (event) => {
    loadFile(event.target.files[0]);
    event.target.value = ""; // loading the same file again still fires "change"
  });
  byId("load-example").addEventListener("click", useExample);
  byId("load-suppress").addEventListener("click", () => byId("suppress-file").click());
  byId("suppress-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    inputs.suppress.value = await file.text();
    refresh();
  });
  for (const id of ["opt-dedupe", "opt-chunk-size"]) byId(id).addEventListener("input", refreshSoon);
  byId("clear-recipients").addEventListener("click", () => {
    inputs.recipients.value = "";
    refresh();
    inputs.recipients.focus();
  });

  const info = await fetchInfo();
  if (info) {
    state.info = info;
    showMode(info);
    templatesView.load(Object.keys(info.templates)).then(refresh);
  } else {
    const error = byId("load-error");
    error.hidden = false;
    error.textContent = "Could not reach the demo server (/api/info): is www/server.mjs running?";
  }
  refresh();
  byId("app").setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "true"; // for the end-to-end test
}

start();

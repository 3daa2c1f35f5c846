// The operator's templates as uSpeedo has them (getTemplates, through the
// proxy): a picker that fills in the template id and text and says each
// template's status. Whether a template may be sent is uSpeedo's status,
// enforced by the package (checkTemplates refuses one not approved); the
// page only shows it early.
import { byId, el } from "./dom.js";
import { pageClient } from "./page-client.js";

const STATUS_LABEL = {
  approved: "approved",
  pending: "pending review",
  in_review: "in review",
  rejected: "rejected",
  disabled: "disabled",
};

export function createTemplatesView({ onPick }) {
  const picker = byId("template-picker");
  const status = byId("template-status");
  const known = new Map(); // TemplateId -> Template (uSpeedo's fields and `status`)

  picker.addEventListener("change", () => {
    const template = known.get(picker.value);
    if (template) onPick(template);
  });

  /** Loads `ids` (the account's templates, as the server lists them). */
  async function load(ids) {
    if (ids.length === 0) {
      picker.replaceChildren(new Option("No templates listed by the server", ""));
      return;
    }
    try {
      const { templates, unknown } = await pageClient().getTemplates(ids);
      for (const t of templates) known.set(t.TemplateId, t);
      picker.replaceChildren(
        new Option(`Choose one of ${templates.length} templates…`, ""),
        ...templates.map((t) => {
          const label = `${t.TemplateId} · ${t.TemplateName || "unnamed"} (${STATUS_LABEL[t.status] ?? t.status})`;
          return el("option", { value: t.TemplateId, dataset: { status: t.status } }, label);
        }),
      );
      if (unknown.length) status.textContent = `uSpeedo does not know: ${unknown.join(", ")}.`;
    } catch (error) {
      picker.replaceChildren(new Option("Templates could not be loaded", ""));
      status.textContent = `Templates could not be loaded: ${error.message}`;
    }
  }

  /** uSpeedo's template for `id`, if loaded. */
  const get = (id) => known.get(id) ?? null;

  /** Says the status of the template in the form; returns whether it may be sent as far as is known. */
  function show(id) {
    const t = known.get(id);
    if (picker.value !== (t ? id : "")) picker.value = t ? id : "";
    if (!t) {
      status.textContent = known.size && id ? `${id} is not one of the templates listed.` : "";
      status.className = "hint";
      return true;
    }
    const approved = t.status === "approved";
    status.textContent = approved
      ? `Approved at uSpeedo${t.Purpose ? ` · purpose ${t.Purpose}` : ""}.`
      : `This template is ${STATUS_LABEL[t.status] ?? t.status} at uSpeedo${t.ErrDesc ? ` (${t.ErrDesc})` : ""}: it cannot be sent.`;
    status.className = approved ? "hint is-good" : "field-error";
    return approved;
  }

  return { load, get, show };
}

// Before the send button: what the suppression list removes and what the
// campaign will cost. Both come from the package's planBulk (suppress,
// prices): the page only reads the operator's lists and shows the answer.
import { byId, count, el, plural } from "./dom.js";

/** The suppression list as typed or loaded: one number per line (or comma-separated). */
export function readSuppressList(text) {
  return text.split(/[\r\n,;]+/).map((s) => s.trim()).filter((s) => s !== "" && !s.startsWith("#"));
}

/**
 * The price table as typed: `852 = 0.045` per line (`:` or `,` work too).
 * Returns `{ prices }` or `{ error }` for a line that is not "code = price".
 */
export function readPrices(text) {
  const prices = {};
  const lines = text.split(/\r\n|\n|\r/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^\+?(\w+)\s*[=:,]\s*(\S+)$/.exec(line);
    if (!match) return { error: `Prices, line ${i + 1}: write “country code = price per SMS part”, e.g. 852 = 0.045.` };
    prices[match[1]] = Number(match[2]); // a wrong number is the package's to refuse
  }
  return { prices: Object.keys(prices).length ? prices : undefined };
}

const money = (x) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });

export function createPlanView() {
  const suppressed = byId("suppress-summary");
  const panel = byId("cost-panel");

  function clear(message = "") {
    suppressed.textContent = "";
    panel.replaceChildren(el("p", { className: "hint" }, message));
  }

  /** `plan`: planBulk's answer; `error`: why there is none (a bad list, a bad price). */
  function render({ plan, error, suppressCount }) {
    if (error) {
      suppressed.textContent = "";
      panel.replaceChildren(el("p", { className: "field-error", role: "alert" }, error));
      return;
    }
    if (!plan) return clear("The cost is shown once the recipients check out.");
    suppressed.textContent = suppressCount
      ? `The suppression list (${plural(suppressCount, "number")}) removes ${plural(plan.suppressed, "recipient")}.`
      : "";
    const { cost } = plan;
    const countries = Object.entries(cost.byCountry);
    const rows = countries.map(([code, c]) => el("tr", { dataset: { country: code } },
      el("td", {}, code === "unknown" ? "no code" : `+${code}`),
      el("td", { className: "num" }, count(c.targets)),
      el("td", { className: "num" }, count(c.parts)),
      el("td", { className: "num" }, c.price === undefined ? "–" : money(c.price)),
      el("td", { className: "num" }, c.cost === undefined ? "–" : money(c.cost))));
    // replaceChildren would print a skipped part (false) as text.
    const parts = [
      el("p", { id: "cost-summary" }, `${plural(plan.sent, "recipient")} · ${plural(cost.parts, "SMS part")} in ${plural(plan.chunkCount, "request")}`
        + (cost.total === undefined ? "" : ` · estimated cost ${money(cost.total)}`)),
      cost.targetsWithoutText > 0 && el("p", { className: "hint" },
        `${plural(cost.targetsWithoutText, "recipient")} not counted: no text for ${cost.templatesWithoutText.join(", ")}.`),
      cost.unpriced.length > 0 && el("p", { className: "hint" }, `No price for ${cost.unpriced.map((c) => `+${c}`).join(", ")}: not in the total.`),
      el("table", { id: "cost-table" },
        el("caption", { className: "visually-hidden" }, "Cost by country"),
        el("thead", {}, el("tr", {}, ["Country", "Recipients", "Parts", "Price", "Cost"].map((h, i) =>
          el("th", { scope: "col", className: i ? "num" : "" }, h)))),
        el("tbody", {}, rows)),
    ];
    panel.replaceChildren(...parts.filter(Boolean));
  }

  return { render, clear };
}

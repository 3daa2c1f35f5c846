// Helpers for the demo page's end-to-end test: the browser, a step runner
// that bounds every step, and the recipients the test pastes.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/**
 * A page of a fresh headless Chromium that may reach 127.0.0.1 only. Console
 * errors and uncaught page errors are collected in `problems`; requests to
 * anything else are aborted and listed in `blocked`.
 */
export async function openBrowser() {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
  const problems = [];
  const blocked = [];
  async function newPage(viewport = { width: 1440, height: 900 }) {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(15_000);
    page.setDefaultNavigationTimeout(15_000);
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (new URL(url).hostname === "127.0.0.1") return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
    page.on("pageerror", (error) => problems.push(`page error: ${error.stack ?? error}`));
    return page;
  }
  return { browser, newPage, problems, blocked };
}

/**
 * Runs named steps in order, each within `timeoutMs`. A step that fails stops
 * the ones after it (they depend on it); they count as failed, so the tally
 * always covers every step.
 */
export function createSteps() {
  const steps = [];
  return {
    step(name, fn, timeoutMs = 30_000) {
      steps.push({ name, fn, timeoutMs });
    },
    async run() {
      let passed = 0;
      let failed = 0;
      let blockedBy = null;
      for (const { name, fn, timeoutMs } of steps) {
        if (blockedBy) {
          console.log(`not ok - ${name} (not run: "${blockedBy}" failed)`);
          failed++;
          continue;
        }
        const started = Date.now();
        let timer;
        try {
          await Promise.race([
            fn(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
          console.log(`ok - ${name} (${Date.now() - started} ms)`);
          passed++;
        } catch (error) {
          console.log(`not ok - ${name}\n  ${String(error?.stack ?? error).split("\n").slice(0, 6).join("\n  ")}`);
          failed++;
          blockedBy = name;
        } finally {
          clearTimeout(timer);
        }
      }
      return { passed, failed };
    },
  };
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

// ---- the recipients ------------------------------------------------------------

export const TEMPLATE_ID = "UTA2501DEMOCODE";
export const TEMPLATE_TEXT = "Your {1} verification code is {2}. It expires in 10 minutes.";
export const RECIPIENTS = 2500;
export const HEADER = "phone,shop,code,user_id";

/** The line number of row `i` (the header is line 1). */
export const lineOf = (i) => i + 2;

/** A correct row: +86 138 then the row number in eight digits. */
export function goodRow(i) {
  return `+86 138 ${String(i).padStart(8, "0")},Acme,${String(100000 + i)},u${String(i).padStart(4, "0")}`;
}

/**
 * Rows the page must flag, each with the field and words its finding names.
 * Fixing one means replacing its line with goodRow(i).
 */
export const BAD_ROWS = [
  { i: 100, text: "+86 138 0000 01OO,Acme,100100,u0100", field: "phone", words: "contains \"O\"" },
  { i: 400, text: "(999)12345678,Acme,100400,u0400", field: "phone", words: "unknown country calling code 999" },
  { i: 777, text: "+86 12,Acme,100777,u0777", field: "phone", words: "at least 4 are needed" },
  // Without the user_id column filled, "Acme" and nothing else: one parameter of two.
  { i: 1500, text: "+86 138 0000 1500,Acme", field: "parameters", words: "takes 2 parameters, got 1" },
  { i: 2000, text: "+86 138 0000 2000,Acme,102000,\" u2000\"", field: "user ID", words: "leading or trailing whitespace" },
  { i: 2400, text: `+86 138 0000 2400,${"Acme ".repeat(110)},102400,u2400`, field: "parameters", words: "at most 500 are allowed" },
];

/** Rows repeating earlier ones exactly: warnings, sent once with "skip repeated numbers". */
export const REPEATS = [{ i: 2498, of: 10 }, { i: 2499, of: 11 }];

/** Numbers the demo's mock blacklists (www/server/settings.mjs), and the rows that carry them. */
export const BLACKLISTED = [
  { i: 13, phone: "(86)13800000013" },
  { i: 1234, phone: "(1)4155550123", text: "+1 415 555 0123,Acme,101234,u1234" },
];

/** The pasted text: header, 2,500 rows with the bad ones, the repeats and a blacklisted US number. */
export function recipientsText() {
  const rows = [];
  for (let i = 0; i < RECIPIENTS; i++) rows.push(goodRow(i));
  for (const bad of BAD_ROWS) rows[bad.i] = bad.text;
  for (const repeat of REPEATS) rows[repeat.i] = goodRow(repeat.of);
  for (const black of BLACKLISTED) if (black.text) rows[black.i] = black.text;
  return [HEADER, ...rows].join("\n");
}

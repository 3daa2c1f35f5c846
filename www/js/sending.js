// Sends a campaign with the package's sendBulk through the signing proxy at
// /sms (the page holds no key) and shows its progress. The package splits the
// list into requests of at most 1000, never resends by itself, and resolves
// to a report that puts every number in exactly one bucket.
import { byId, count, plural } from "./dom.js";
import { pageClient } from "./page-client.js";

export function createSender() {
  const panel = byId("progress-panel");
  const bar = byId("send-progress");
  const percent = byId("progress-percent");
  const status = byId("send-status");
  const cancel = byId("cancel-send");
  let controller = null;

  cancel.addEventListener("click", () => {
    if (!controller) return;
    controller.abort();
    // The package aborts the requests in flight too: their outcome becomes "unknown".
    status.textContent = "Cancelling: requests not started yet are not sent; one already on its way ends as “unknown”…";
  });

  /** `total` 0: nothing planned yet, an empty bar. */
  function showProgress(done, total) {
    bar.max = Math.max(total, 1);
    bar.value = total ? done : 0;
    percent.textContent = `${total ? Math.round((done / total) * 100) : 0} %`;
  }

  /**
   * `request`: a SendBatchUSMSMessage request of any size. `templates`
   * (TemplateId -> text) lets the client re-check parameter counts before
   * anything leaves the page. Resolves to `{ report }` or `{ error }`.
   */
  async function send(request, { templates, dedupe, chunkSize, concurrency, suppress, what }) {
    const client = pageClient(templates);
    controller = new AbortController();
    panel.hidden = false;
    cancel.hidden = false;
    cancel.disabled = false;
    showProgress(0, 0);
    try {
      // planBulk is pure: it tells how many requests there will be before the first goes.
      const plan = client.planBulk(request, { chunkSize, dedupe, suppress });
      showProgress(0, plan.chunkCount);
      status.textContent = `Sending ${what}: ${plural(plan.sent, "number")} in ${plural(plan.chunkCount, "request")}…`;
      // checkTemplates: uSpeedo's own word on the template (approved, its
      // text) is checked before the first request; a template in review is
      // refused here, not by a failed batch.
      const report = await client.sendBulk(request, {
        dedupe, chunkSize, concurrency, suppress, checkTemplates: true, signal: controller.signal,
        onProgress(p) {
          showProgress(p.chunksDone, p.chunksTotal);
          status.textContent = `Sending ${what}: ${count(p.chunksDone)} of ${plural(p.chunksTotal, "request")} done · `
            + `${count(p.accepted)} accepted · ${count(p.failed)} failed · ${count(p.unknown)} unknown`;
        },
      });
      const { totals, stoppedBy } = report;
      // Chunks not attempted count as done too: the bar shows the job is over.
      showProgress(Math.max(totals.chunks, 1), Math.max(totals.chunks, 1));
      status.textContent = `${stoppedBy ? `Stopped early (${stoppedBy.message})` : "Done"}: `
        + `${count(totals.accepted)} accepted, ${count(totals.failed)} failed, ${count(totals.unknown)} unknown, `
        + `${count(totals.notAttempted)} not attempted`
        + `${totals.suppressed ? `, ${count(totals.suppressed)} suppressed (never sent)` : ""}.`;
      return { report };
    } catch (error) {
      // Validation and configuration errors: nothing was sent.
      status.textContent = `Nothing was sent: ${error.message}`;
      return { error };
    } finally {
      controller = null;
      cancel.hidden = true;
    }
  }

  return { send, get busy() { return controller !== null; } };
}

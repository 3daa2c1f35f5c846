// The mock uSpeedo server in its own process, so that its work (parsing,
// checking every signature, recording every number) runs on the other core
// and is not billed to the client being measured. Driven over IPC:
// "counts" answers { accepted, requests, failedRequests }, "reset" empties it,
// "close" stops it.
import { startMockServer } from "../../../pkg/mock/server.mjs";
import { KEYS } from "./fixtures.mjs";

const mock = await startMockServer(KEYS);
const counts = () => ({
  accepted: mock.acceptedCount(),
  requests: mock.requests.length,
  failedRequests: mock.requests.filter((r) => r.outcome !== "ok").length,
  duplicates: mock.duplicates().length,
});
process.on("message", async (message) => {
  if (message === "counts") process.send({ counts: counts() });
  if (message === "reset") {
    mock.reset();
    process.send({ reset: true });
  }
  if (message === "close") {
    await mock.close();
    process.exit(0);
  }
});
// Never outlive the benchmark that started it.
process.on("disconnect", () => process.exit(0));
process.send({ url: mock.url });

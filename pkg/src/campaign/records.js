// Writes a planned job into a ledger (meta first, then the chunks in
// groups small enough for one Durable Object RPC call) and returns the
// messages to enqueue, one per chunk: { jobId, index, key }.

export async function createJobRecords(ledger, planned) {
  await ledger.create(planned.meta);
  for (let i = 0; i < planned.chunks.length; i += 50) await ledger.addChunks(planned.chunks.slice(i, i + 50));
  return planned.chunks.map((c) => ({ jobId: planned.jobId, index: c.index, key: c.key }));
}

// Writes a planned job into a ledger (the sorted-out targets, then the
// meta, then the chunks, in groups small enough for one Durable Object RPC
// call) and returns the messages to enqueue, one per chunk: { jobId, index, key }.

export async function createJobRecords(ledger, planned) {
  // Before the meta: a report (which needs the meta) never misses them.
  const dropped = planned.dropped ?? [];
  for (let i = 0; i < dropped.length; i += 50) await ledger.addDropped(dropped.slice(i, i + 50));
  await ledger.create(planned.meta);
  for (let i = 0; i < planned.chunks.length; i += 50) await ledger.addChunks(planned.chunks.slice(i, i + 50));
  return planned.chunks.map((c) => ({ jobId: planned.jobId, index: c.index, key: c.key }));
}

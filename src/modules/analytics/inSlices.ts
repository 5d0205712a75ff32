// Long CPU work done a slice at a time, with a turn of the event loop between slices: the server has
// one thread for every tenant, its health probe and webhooks, and none of them should wait behind a
// report being computed.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Work taken before giving the event loop a turn: short next to any request's own time. */
export const SLICE_MS = 4;

/** Calls `step` until it returns false, yielding to the event loop whenever a slice has run SLICE_MS. */
export async function inSlices(step: () => boolean): Promise<void> {
  let sliceStart = performance.now();
  while (step()) {
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await nextTurn();
    sliceStart = performance.now();
  }
}

/**
 * An hls::stream between two dataflow processes, as committed schedules: the cycle each word
 * becomes visible to the consumer and the cycle the consumer read it. Both are only ever
 * appended, so a process may plan iterations ahead of the global clock from what is already
 * committed (max-plus: issue_j = max(issue_{j−1} + II, visible_k, read_{j−capacity})), and the
 * event engine stays exact at iteration level while running one event per batch.
 */
export class Fifo {
  vis: Float64Array;
  readAt: Float64Array;
  written = 0;
  read = 0;
  /** Set when a deadlock was resolved by treating this stream as deep enough. */
  unbounded = false;
  producerWake: (() => void) | null = null;
  consumerWake: (() => void) | null = null;

  constructor(readonly name: string, readonly depth: number, words: number) {
    this.vis = new Float64Array(Math.max(1, words));
    this.readAt = new Float64Array(Math.max(1, words));
  }

  /**
   * Words a producer may have issued but the consumer not yet read: the FIFO's depth plus the
   * iterations in flight in the producer's pipeline (a blocked write stalls the pipeline with
   * them inside, so they do not need a slot until they reach the write).
   */
  capacity(inFlight: number): number {
    return this.unbounded ? Infinity : this.depth + inFlight;
  }

  push(time: number): void {
    if (this.written >= this.vis.length) this.vis = grow(this.vis);
    this.vis[this.written++] = time;
  }

  pop(time: number): void {
    if (this.read >= this.readAt.length) this.readAt = grow(this.readAt);
    this.readAt[this.read++] = time;
  }
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Timing primitives of HLS hardware: a pipelined loop, a dataflow region of streaming processes,
 * and an AXI memory transfer. Everything the stage model reports is built from these three
 * formulas (docs/performance-model.md §1).
 */

/**
 * Cycles of a pipelined loop: `depth` cycles for the first iteration to complete, then one
 * iteration every `ii` cycles: `(trip − 1)·II + depth`. An empty loop costs nothing.
 */
export function pipelinedLoop(trip: number, ii: number, depth: number): number {
  if (trip <= 0) return 0;
  return (trip - 1) * ii + depth;
}

/** One process of a dataflow region: its total cycles and its fill (first output after start) = drain. */
export interface DataflowProcess {
  readonly cycles: number;
  readonly fill: number;
}

/**
 * Cycles of a dataflow region of processes connected by FIFOs in a chain. Process s starts when
 * its producer has emitted its first output (start_s = start_{s−1} + fill_{s−1}); it ends no earlier
 * than its own work after its start, and no earlier than one fill after its producer ends:
 * end_s = max(start_s + cycles_s, end_{s−1} + fill_s). The region ends with the last process.
 * So throughput is set by the slowest process, plus the fill/drain of the others.
 */
export function dataflow(procs: readonly DataflowProcess[]): number {
  let start = 0;
  let end = 0;
  for (let s = 0; s < procs.length; s++) {
    const p = procs[s]!;
    if (s > 0) start += procs[s - 1]!.fill;
    end = Math.max(start + p.cycles, s > 0 ? end + p.fill : 0);
  }
  return end;
}

/** An AXI master path from the kernel to off-chip memory, in kernel-clock units. */
export interface MemoryPath {
  /** Bytes per beat the kernel port moves (axiBits / 8). */
  readonly portBytes: number;
  /** Sustained bytes per kernel cycle the memory system delivers to this port (≤ portBytes). */
  readonly bytesPerCycle: number;
  /** Cycles from the first request of a transfer to its first data beat (not overlapped). */
  readonly latency: number;
}

/**
 * Cycles to move `bytes` sequential bytes over one path: one request latency, then the bytes at
 * the sustained rate (long bursts with outstanding requests hide the per-burst latency).
 */
export function transfer(bytes: number, path: MemoryPath): number {
  if (bytes <= 0) return 0;
  const beats = Math.ceil(bytes / path.portBytes);
  const rateCycles = Math.ceil(bytes / path.bytesPerCycle);
  return path.latency + Math.max(beats, rateCycles);
}

/**
 * Initiation interval forced by a loop-carried dependence: an update that takes `latency` cycles
 * (e.g. BRAM read + add + write of an accumulator) to the same location every `distance`
 * iterations allows one iteration every ceil(latency / distance) cycles.
 */
export function recurrenceII(latency: number, distance: number): number {
  return Math.max(1, Math.ceil(latency / Math.max(1, distance)));
}

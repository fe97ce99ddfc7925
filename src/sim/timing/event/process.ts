/**
 * A process of the event engine: one C++ function of a unit (a dataflow process, or the whole
 * unit when it has no DATAFLOW region) executing its loop entries in order. A pipelined loop
 * entry issues iterations at its II, each waiting for its input words (FIFO words or AXI beats,
 * at the cycle each became available) and for room for its output; it runs in batches: at one
 * event it plans every iteration whose inputs are already committed, then sleeps until the batch
 * ends or the resource it waits for changes. An entry ends `depth` cycles after its last issue,
 * and not before its AXI writes are acknowledged. A loop that is not pipelined costs
 * `depth + bodyLatency` control cycles per iteration around its inner loops (call.ts).
 *
 * Waking up late does not delay a process: iterations that waited for a word or a beat issue at
 * the cycle it arrived (which may be before the wake-up event, by at most one delivery chunk),
 * so chunked delivery costs events, not accuracy. Waits for write-buffer space or a write
 * response resume at the wake-up itself (that is when the space or the response appeared).
 */
import type { LoopSpec } from '../../../plan/index.js';
import type { Fifo } from './fifo.js';
import type { MemorySystem, ReadStream, WriteStream } from './memory.js';
import type { EventQueue } from './queue.js';

/** One loop entry (or one control step of a loop that is not pipelined). */
export interface Op {
  readonly loop: LoopSpec;
  readonly n: number;
  readonly ii: number;
  readonly depth: number;
  /** Streams read: `words` over the op's n iterations. */
  readonly ins: readonly { readonly fifo: Fifo; readonly words: number }[];
  readonly outs: readonly Fifo[];
  readonly axiR: readonly string[];
  readonly axiW: readonly string[];
}

export type State = 'busy' | 'memory' | 'fifo';

/** A piece of a process's timeline (cycles from the call's start). */
export interface Segment {
  readonly kind: State;
  readonly start: number;
  end: number;
}

interface Running {
  readonly op: Op;
  readonly start: number;
  j: number;
  last: number;
  drained: boolean;
  readonly inWord: number[];
  readonly rs: ReadStream[];
  readonly ws: WriteStream[];
}

/** empty/full: a FIFO; data: AXI read beats; space: the write adapter's buffer; response: write acknowledgements. */
export type Wait = { readonly kind: 'empty' | 'full'; readonly fifo: Fifo } | { readonly kind: 'data' | 'space' | 'response' };

const EPS = 1e-9;

export class Process {
  /** Cycle from which the process can act next (when blocked: the cycle it blocked at). */
  time = 0;
  done = false;
  waitingOn: Wait | null = null;
  readonly totals = { busy: 0, memory: 0, fifo: 0 };
  readonly segments: Segment[] = [];
  /** Loop entries: label, start, end (trace detail). */
  readonly entries: { label: string; start: number; end: number }[] = [];
  private cur: Running | null = null;
  private peeked: Op | null = null;
  private pending = false;
  onDone: (() => void) | null = null;

  constructor(readonly name: string, readonly unit: string, private readonly ops: Iterator<Op>,
    private readonly q: EventQueue, private readonly mem: MemorySystem, private readonly traceEntries: boolean) {}

  start(at: number): void {
    this.time = at;
    this.wake();
  }

  /** Schedule a step (several wake-ups at one cycle collapse into one step). */
  wake(): void {
    if (this.pending || this.done) return;
    this.pending = true;
    this.q.at(Math.max(this.q.now, this.time), () => { this.pending = false; this.step(); });
  }

  private mark(kind: State, from: number, to: number): void {
    if (to <= from + EPS) return;
    this.totals[kind] += to - from;
    const last = this.segments[this.segments.length - 1];
    if (last && last.kind === kind && Math.abs(last.end - from) < EPS) last.end = to;
    else this.segments.push({ kind, start: from, end: to });
  }

  private step(): void {
    const now = this.q.now;
    const w = this.waitingOn;
    if (w) {
      this.waitingOn = null;
      if (w.kind === 'empty') w.fifo.consumerWake = null;
      else if (w.kind === 'full') w.fifo.producerWake = null;
      else if (w.kind === 'space' || w.kind === 'response') {
        this.mark('memory', this.time, now);
        this.time = Math.max(now, this.time);
      }
      // empty / full / data: the batch issues at the cycle the word or beat arrived.
    } else {
      this.time = Math.max(now, this.time);
    }
    for (;;) {
      if (!this.cur) {
        if (!this.peeked) {
          const it = this.ops.next();
          if (it.done) {
            this.done = true;
            this.onDone?.();
            return;
          }
          this.peeked = it.value;
        }
        // An entry's AXI requests go out when it starts: start it at its own cycle, not before.
        if (this.time > now + EPS) return this.sleepUntil(this.time);
        if (this.peeked.axiR.length + this.peeked.axiW.length > 0 && this.time < now) this.time = now;
        const op = this.peeked;
        this.peeked = null;
        this.cur = {
          op, start: this.time, j: 0, last: this.time - op.ii, drained: false, inWord: op.ins.map(() => 0),
          rs: op.axiR.map((b) => this.mem.read(b, op.n)), ws: op.axiW.map((b) => this.mem.write(b, op.n)),
        };
        for (const st of this.cur.rs) st.wake = () => this.wake();
        for (const st of this.cur.ws) st.wake = () => this.wake();
      }
      const r = this.cur;
      const op = r.op;
      if (r.j < op.n && !this.batch(r, this.time)) return;
      if (!r.drained) {
        // The last iteration leaves the pipeline `depth` cycles after it was issued.
        const end = r.last + op.depth;
        this.mark('busy', this.time, end);
        this.time = Math.max(this.time, end);
        r.drained = true;
      }
      if (this.time > now + EPS) return this.sleepUntil(this.time);
      if (r.ws.some((x) => !x.done)) {
        this.waitingOn = { kind: 'response' };
        return;
      }
      if (this.traceEntries) this.entries.push({ label: op.loop.label, start: r.start, end: this.time });
      for (const st of r.rs) st.wake = null;
      for (const st of r.ws) st.wake = null;
      this.cur = null;
    }
  }

  private sleepUntil(t: number): void {
    this.q.at(t, () => this.wake());
  }

  /**
   * Plan iterations from cycle `t`: true when the entry issued its last iteration, false when
   * it waits (a wake-up is registered on what it waits for).
   */
  private batch(r: Running, t: number): boolean {
    const op = r.op;
    const inFlight = Math.ceil(op.depth / op.ii);
    let prevEnd = r.j === 0 ? t : Math.max(t, r.last + op.ii);
    const busyFrom = prevEnd;
    let waitFifo = 0;
    let waitMem = 0;
    const j0 = r.j;
    // Wake-ups and read credits go out once per batch: everything it commits carries its own cycle.
    const stop = (on: Wait): false => {
      if (r.j > j0) {
        for (const x of op.ins) x.fifo.producerWake?.();
        for (const f of op.outs) f.consumerWake?.();
        for (const rs of r.rs) rs.consume(r.j - j0);
        this.account(busyFrom, prevEnd, waitFifo, waitMem);
      }
      this.time = prevEnd;
      this.waitingOn = on;
      const wake = (): void => this.wake();
      if (on.kind === 'empty') on.fifo.consumerWake = wake;
      else if (on.kind === 'full') on.fifo.producerWake = wake;
      return false;
    };
    const nIn = op.ins.length;
    const nOut = op.outs.length;
    if (nIn === 0 && nOut === 0 && r.rs.length === 0 && r.ws.length === 0) {
      // Nothing to wait for: every remaining iteration at II (closed form).
      r.last = prevEnd + (op.n - 1 - r.j) * op.ii;
      r.j = op.n;
      prevEnd = r.last + op.ii;
    }
    while (r.j < op.n) {
      const j = r.j;
      let s = prevEnd;
      let why: State = 'busy';
      for (let k = 0; k < nIn; k++) {
        const { fifo, words } = op.ins[k]!;
        // Iteration j reads a new word when ⌊(j+1)·w/n⌋ passes the words read so far.
        if (Math.floor(((j + 1) * words) / op.n) > r.inWord[k]!) {
          const w = fifo.read;
          if (w >= fifo.written) return stop({ kind: 'empty', fifo });
          if (fifo.vis[w]! > s) { s = fifo.vis[w]!; why = 'fifo'; }
        }
      }
      for (let k = 0; k < nOut; k++) {
        const f = op.outs[k]!;
        const m = f.written - f.capacity(inFlight);
        if (m >= 0) {
          if (m >= f.read) return stop({ kind: 'full', fifo: f });
          if (f.readAt[m]! > s) { s = f.readAt[m]!; why = 'fifo'; }
        }
      }
      for (const rs of r.rs) {
        if (j >= rs.delivered) return stop({ kind: 'data' });
        const a = rs.arrival(j);
        if (a > s) { s = a; why = 'memory'; }
      }
      for (const ws of r.ws) if (j - ws.bufferBeats >= ws.transferred) return stop({ kind: 'space' });
      if (why === 'fifo') waitFifo += s - prevEnd;
      else if (why === 'memory') waitMem += s - prevEnd;
      // Commit iteration j at cycle s.
      for (let k = 0; k < nIn; k++) {
        const need = Math.floor(((j + 1) * op.ins[k]!.words) / op.n);
        while (r.inWord[k]! < need) { op.ins[k]!.fifo.pop(s); r.inWord[k]!++; }
      }
      for (let k = 0; k < nOut; k++) op.outs[k]!.push(s + op.depth);
      for (const ws of r.ws) ws.wrote(j, s + op.depth);
      r.last = s;
      r.j++;
      prevEnd = s + op.ii;
    }
    for (const x of op.ins) x.fifo.producerWake?.();
    for (const f of op.outs) f.consumerWake?.();
    for (const rs of r.rs) rs.consume(r.j - j0);
    // The entry is busy up to its last issue; the drain (depth) follows in step().
    this.account(busyFrom, Math.max(busyFrom, r.last), waitFifo, waitMem);
    this.time = Math.max(busyFrom, r.last);
    return true;
  }

  /** A batch's busy cycles, then its waits (their exact places do not matter for the totals). */
  private account(from: number, to: number, waitFifo: number, waitMem: number): void {
    const busy = to - from - waitFifo - waitMem;
    this.mark('busy', from, from + busy);
    this.mark('fifo', from + busy, from + busy + waitFifo);
    this.mark('memory', from + busy + waitFifo, to);
  }
}

/**
 * A process of the event engine: one C++ function of a unit (a dataflow process, or the whole
 * unit when it has no DATAFLOW region) executing its loop entries in order. A pipelined loop
 * entry issues iterations at its II, each waiting for its input words (FIFO or AXI beats) and
 * for room for its output; it runs in batches: at one event it plans every iteration whose
 * inputs are already committed, then sleeps until the batch ends or the resource it waits for
 * changes. An entry ends `depth` cycles after its last issue, and not before its AXI writes are
 * acknowledged. A loop that is not pipelined costs `depth + bodyLatency` control cycles per
 * iteration around its inner loops.
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

const EPS = 1e-9;

export class Process {
  time = 0;
  done = false;
  /** What the process waits for now (deadlock diagnosis). */
  waitingOn: { kind: 'empty' | 'full' | 'memory'; fifo?: Fifo } | null = null;
  readonly totals = { busy: 0, memory: 0, fifo: 0 };
  readonly segments: Segment[] = [];
  /** Loop entries: label, start, end (trace). */
  readonly entries: { label: string; start: number; end: number }[] = [];
  private cur: Running | null = null;
  private pending = false;
  onDone: (() => void) | null = null;

  constructor(readonly name: string, readonly unit: string, private readonly ops: Iterator<Op>,
    private readonly q: EventQueue, private readonly mem: MemorySystem, private readonly traceEntries: boolean) {}

  start(at: number): void {
    this.time = at;
    this.wake();
  }

  /** Schedule a step now (several wake-ups at one time collapse into one step). */
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

  private peeked: Op | null = null;

  private step(): void {
    const now = this.q.now;
    for (;;) {
      if (this.waitingOn) {
        const w = this.waitingOn;
        if (w.kind === 'empty') w.fifo!.consumerWake = null;
        else if (w.kind === 'full') w.fifo!.producerWake = null;
        this.mark(w.kind === 'memory' ? 'memory' : 'fifo', this.time, Math.max(now, this.time));
        this.waitingOn = null;
      }
      this.time = Math.max(now, this.time);
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
        // An entry's AXI requests go out when it starts: start it at its own cycle.
        if (this.time > now + EPS) return this.sleepUntil(this.time);
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
      if (r.ws.some((w) => !w.done)) {
        this.waitingOn = { kind: 'memory' };
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
   * Plan iterations from `t`: true when the entry issued its last iteration, false when it waits
   * (a wake-up is registered on what it waits for).
   */
  private batch(r: Running, t: number): boolean {
    const op = r.op;
    const cap = op.outs.map((f) => f.capacity(Math.ceil(op.depth / op.ii)));
    let prevEnd = r.j === 0 ? t : Math.max(t, r.last + op.ii);
    const busyFrom = prevEnd;
    let waitFifo = 0;
    let waitMem = 0;
    if (op.ins.length === 0 && op.outs.length === 0 && r.ws.length === 0) {
      // No FIFO and no write: iterations go at II as far as the delivered beats reach (closed form).
      let lim = op.n;
      for (const rs of r.rs) lim = Math.min(lim, rs.delivered);
      if (lim > r.j) {
        const b = lim - r.j;
        r.last = prevEnd + (b - 1) * op.ii;
        r.j = lim;
        prevEnd = r.last + op.ii;
        for (const rs of r.rs) rs.consume(b);
      }
      if (r.j < op.n) return this.block(r, prevEnd, { kind: 'memory' }, 0, 0, busyFrom);
    }
    // Wake-ups and read credits go out once per batch: everything it commits carries its own cycle.
    const j0 = r.j;
    const flush = (): void => {
      if (r.j === j0) return;
      for (const x of op.ins) x.fifo.producerWake?.();
      for (const f of op.outs) f.consumerWake?.();
      for (const rs of r.rs) rs.consume(r.j - j0);
    };
    const stop = (on: NonNullable<Process['waitingOn']>): false => {
      flush();
      return this.block(r, prevEnd, on, waitFifo, waitMem, busyFrom);
    };
    const nIn = op.ins.length;
    const nOut = op.outs.length;
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
        const m = f.written - cap[k]!;
        if (m >= 0) {
          if (m >= f.read) return stop({ kind: 'full', fifo: f });
          if (f.readAt[m]! > s) { s = f.readAt[m]!; why = 'fifo'; }
        }
      }
      for (const rs of r.rs) if (j >= rs.delivered) return stop({ kind: 'memory' });
      for (const ws of r.ws) if (j - ws.bufferBeats >= ws.transferred) return stop({ kind: 'memory' });
      if (why === 'fifo') waitFifo += s - prevEnd;
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
    flush();
    this.account(busyFrom, r.last + op.ii, waitFifo, waitMem);
    this.time = r.last + op.ii;
    return true;
  }

  /** Busy time of a batch, its in-batch FIFO waits after it (their exact places do not matter for the totals). */
  private account(from: number, to: number, waitFifo: number, waitMem: number): void {
    const busy = to - from - waitFifo - waitMem;
    this.mark('busy', from, from + busy);
    this.mark('fifo', from + busy, from + busy + waitFifo);
    this.mark('memory', from + busy + waitFifo, to);
  }

  private block(r: Running, prevEnd: number, on: NonNullable<Process['waitingOn']>, waitFifo: number, waitMem: number, busyFrom: number): false {
    if (r.j > 0 && prevEnd > busyFrom) this.account(busyFrom, prevEnd, waitFifo, waitMem);
    this.time = prevEnd;
    this.waitingOn = on;
    const w = (): void => this.wake();
    if (on.kind === 'empty') on.fifo!.consumerWake = w;
    else if (on.kind === 'full') on.fifo!.producerWake = w;
    return false;
  }
}

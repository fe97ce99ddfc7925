/**
 * The memory system of the event engine: every m_axi bundle has a read and a write channel that
 * split a loop's stream into bursts of at most `burstBeats`, keep at most `outstanding` bursts in
 * flight, and pay `latency` from a read request to its first beat (and from a write's last beat to
 * its response). Bundles map onto the part's PL ports round-robin; bursts moving data share each
 * port (per direction: AXI read and write data channels are separate) and the DRAM's aggregate
 * bandwidth, max-min fairly (a fluid model re-solved whenever a burst starts or ends). Beats of a
 * read reach the loop in chunks of `DELIVERY_BEATS`, so events are per chunk, not per beat.
 * docs/performance-model.md, "Event engine".
 */
import type { EventQueue } from './queue.js';

export interface MemoryConfig {
  readonly beatBytes: number;
  /** Bytes per kernel cycle one port moves in one direction. */
  readonly portBytes: number;
  /** Bytes per kernel cycle of the whole DRAM, reads and writes together. */
  readonly aggregateBytes: number;
  /** Cycles from a read request to its first beat; from a write's last beat to its response. */
  readonly latency: number;
  readonly ports: number;
  /**
   * Reads and writes of one port have their own capacity (ZynqMP HP ports: separate AXI read and
   * write data channels in front of one DRAM); false where a port is a DRAM channel (Alveo DDR
   * banks, HBM pseudo-channels), whose bandwidth both directions share.
   */
  readonly duplex: boolean;
  readonly burstBeats: number;
  readonly readOutstanding: number;
  readonly writeOutstanding: number;
  /** Width of a utilisation bin, cycles. */
  readonly binCycles: number;
}

/**
 * Beats of a read handed to the loop per event: the first beat of a burst alone, then chunks
 * doubling up to this size and halving towards the burst's end. Bounds the engine's events
 * (≈ 11 per 64-beat burst) while the loop sees a burst's first and last beats on time; in between
 * a loop waiting for data lags by at most one chunk, which it catches up.
 */
export const DELIVERY_BEATS = 16;
const EPS = 1e-9;

interface Burst {
  readonly stream: Stream;
  readonly beats: number;
  /** Earliest cycle its data may move (read: request + latency). */
  readonly ready: number;
  bytesLeft: number;
  /** Read: bytes left before the next delivery to the loop, that delivery's size in beats, and when its first byte started moving. */
  chunkLeft: number;
  chunk: number;
  chunkStart: number;
  rate: number;
  last: number;
  version: number;
  /** Scheduled to move data (guards against a second activation). */
  started: boolean;
}

class Stream {
  requested = 0;
  /** Read: beats delivered to the loop; write: beats the loop has written. */
  delivered = 0;
  consumed = 0;
  /** Write: beats sent to DRAM (they leave the adapter's buffer). */
  transferred = 0;
  responded = 0;
  inFlight = 0;
  readonly queue: Burst[] = [];
  /** Write: times the loop wrote the last beat of each burst. */
  readonly burstReady: number[] = [];
  /** Read: cycle each delivered beat arrived (interpolated within a delivery chunk). */
  readonly at: Float64Array;
  /** Called when beats arrive (read), leave the buffer or are acknowledged (write). */
  wake: (() => void) | null = null;
  constructor(readonly dir: 'read' | 'write', readonly port: number, readonly total: number, readonly bufferBeats: number) {
    this.at = new Float64Array(dir === 'read' ? total : 0);
  }
  arrival(j: number): number {
    return this.at[j]!;
  }
  get done(): boolean {
    return this.dir === 'read' ? this.delivered >= this.total : this.responded >= this.total;
  }
}

export type ReadStream = Pick<Stream, 'delivered' | 'consumed' | 'total' | 'done' | 'wake' | 'arrival'> & { consume(n: number): void };
export type WriteStream = Pick<Stream, 'delivered' | 'transferred' | 'total' | 'done' | 'wake' | 'bufferBeats'> & { wrote(beat: number, time: number): void };

export interface PortStats {
  readonly port: number;
  readonly bundles: string[];
  readBytes: number;
  writeBytes: number;
  /** Bytes moved per bin (both directions). */
  readonly bins: number[];
}

export class MemorySystem {
  private readonly active: Burst[] = [];
  readonly ports: PortStats[];
  private readonly portOf = new Map<string, number>();
  private readonly groupCount: Int32Array;

  constructor(private readonly q: EventQueue, readonly cfg: MemoryConfig, bundles: readonly string[]) {
    this.groupCount = new Int32Array(2 * Math.max(1, cfg.ports));
    this.ports = Array.from({ length: Math.min(cfg.ports, bundles.length) }, (_, p) => ({ port: p, bundles: [], readBytes: 0, writeBytes: 0, bins: [] }));
    // Bundles take ports in order; with fewer ports than bundles they share round-robin.
    bundles.forEach((b, i) => {
      const p = i % this.ports.length;
      this.portOf.set(b, p);
      this.ports[p]!.bundles.push(b);
    });
  }

  read(bundle: string, beats: number): ReadStream {
    const s = new Stream('read', this.portOf.get(bundle)!, beats, this.cfg.readOutstanding * this.cfg.burstBeats);
    const api = Object.assign(s, { consume: (n: number) => { s.consumed += n; this.issueReads(s); } });
    this.issueReads(s);
    return api as unknown as ReadStream;
  }

  write(bundle: string, beats: number): WriteStream {
    const s = new Stream('write', this.portOf.get(bundle)!, beats, this.cfg.writeOutstanding * this.cfg.burstBeats);
    const B = this.cfg.burstBeats;
    const api = Object.assign(s, {
      wrote: (beat: number, time: number) => {
        s.delivered = beat + 1;
        // A burst goes out once its last beat is in the adapter (or the stream's last beat is).
        if ((beat + 1) % B === 0 || beat + 1 === s.total) {
          s.burstReady.push(time);
          this.q.at(time, () => this.issueWrites(s));
        }
      },
    });
    return api as unknown as WriteStream;
  }

  /** Read requests go out while an outstanding slot and buffer space for the burst's data are free. */
  private issueReads(s: Stream): void {
    const B = this.cfg.burstBeats;
    while (s.requested < s.total && s.inFlight < this.cfg.readOutstanding) {
      const n = Math.min(B, s.total - s.requested);
      if (s.requested - s.consumed + n > s.bufferBeats) break;
      s.requested += n;
      s.inFlight++;
      // `latency` is request to first beat: the burst's data starts moving one beat time earlier.
      this.enqueue(s, n, this.q.now + Math.max(0, this.cfg.latency - this.cfg.beatBytes / this.cfg.portBytes));
    }
  }

  private issueWrites(s: Stream): void {
    const B = this.cfg.burstBeats;
    while (s.requested < s.total && s.inFlight < this.cfg.writeOutstanding) {
      const k = s.requested / B;
      const t = s.burstReady[k];
      if (t === undefined || t > this.q.now + EPS) break;
      const n = Math.min(B, s.total - s.requested);
      s.requested += n;
      s.inFlight++;
      this.enqueue(s, n, this.q.now);
    }
  }

  /** A stream's bursts move data one after another (in-order AXI data); the next starts when the previous ends. */
  private enqueue(s: Stream, beats: number, ready: number): void {
    const bytes = beats * this.cfg.beatBytes;
    const b: Burst = { stream: s, beats, ready, bytesLeft: bytes, chunkLeft: Math.min(bytes, this.cfg.beatBytes), chunk: 1, chunkStart: 0, rate: 0, last: 0, version: 0, started: false };
    s.queue.push(b);
    if (s.queue.length === 1) this.startNext(s);
  }

  /** The stream's head burst moves data from its ready cycle on (once). */
  private startNext(s: Stream): void {
    const next = s.queue[0];
    if (!next || next.started) return;
    next.started = true;
    this.q.at(Math.max(next.ready, this.q.now), () => this.activate(next));
  }

  private activate(b: Burst): void {
    this.settle();
    b.last = this.q.now;
    b.chunkStart = this.q.now;
    this.active.push(b);
    this.resolve();
  }

  /** Move every active burst's bytes up to now (and count them per port and bin). */
  private settle(): void {
    const now = this.q.now;
    for (const b of this.active) {
      const dt = now - b.last;
      if (dt <= 0) continue;
      const moved = Math.min(b.bytesLeft, b.rate * dt);
      b.bytesLeft -= moved;
      b.chunkLeft -= moved;
      this.account(b, moved, b.last, now);
      b.last = now;
    }
  }

  private account(b: Burst, bytes: number, from: number, to: number): void {
    const p = this.ports[b.stream.port]!;
    if (b.stream.dir === 'read') p.readBytes += bytes;
    else p.writeBytes += bytes;
    const w = this.cfg.binCycles;
    // Spread over the bins the interval covers, at the burst's (constant) rate.
    let t = from;
    while (t < to - EPS) {
      const bin = Math.floor(t / w + EPS);
      const end = Math.min(to, (bin + 1) * w);
      while (p.bins.length <= bin) p.bins.push(0);
      p.bins[bin]! += (bytes * (end - t)) / (to - from);
      t = end;
    }
  }

  /** Max-min fair rates: equal shares of each port (direction), then water-filling the DRAM's aggregate. */
  private resolve(): void {
    const act = this.active;
    const n = this.groupCount;
    n.fill(0);
    for (const b of act) n[this.key(b)]!++;
    let sum = 0;
    for (const b of act) sum += (b.rate = this.cfg.portBytes / n[this.key(b)]!);
    if (sum > this.cfg.aggregateBytes) {
      // Water-filling: the smallest shares are met in full, the rest split what remains.
      const order = [...act].sort((x, y) => x.rate - y.rate);
      let left = this.cfg.aggregateBytes;
      let k = order.length;
      for (const b of order) {
        b.rate = Math.min(b.rate, left / k);
        left -= b.rate;
        k--;
      }
    }
    const now = this.q.now;
    for (const b of act) {
      const v = ++b.version;
      const next = b.stream.dir === 'read' ? Math.min(b.bytesLeft, b.chunkLeft) : b.bytesLeft;
      this.q.at(now + Math.max(0, next) / b.rate, () => { if (b.version === v) this.progress(b); });
    }
  }

  /** Capacity group of a burst: its port, and its direction where reads and writes have separate channels. */
  private key(b: Burst): number {
    return this.cfg.duplex ? b.stream.port * 2 + (b.stream.dir === 'read' ? 0 : 1) : b.stream.port * 2;
  }

  private progress(b: Burst): void {
    this.settle();
    const s = b.stream;
    const beat = this.cfg.beatBytes;
    if (s.dir === 'read' && b.chunkLeft <= EPS * beat) {
      // Delivered = beats of finished bursts + the head burst's moved beats; the chunk's beats
      // arrived evenly since it started (exact at its ends, where the rate changes are).
      const upTo = s.requested - this.pendingBeats(s) - Math.round(b.bytesLeft / beat);
      const from = s.delivered;
      const now = this.q.now;
      for (let k = from; k < upTo; k++) s.at[k] = b.chunkStart + ((k - from + 1) * (now - b.chunkStart)) / (upTo - from);
      s.delivered = upTo;
      b.chunkStart = now;
      // Chunks double up to DELIVERY_BEATS and halve towards the burst's end, so a loop that
      // keeps pace with the memory sees the first and the last beats of a burst on time.
      b.chunk = Math.min(2 * b.chunk, DELIVERY_BEATS, Math.max(1, Math.ceil(b.bytesLeft / beat / 2)));
      b.chunkLeft = Math.min(b.bytesLeft, b.chunk * beat);
      s.wake?.();
    }
    if (b.bytesLeft <= EPS * beat) this.finish(b);
    else this.resolve();
  }

  /** Beats of bursts queued behind the head burst (requested, not yet moving). */
  private pendingBeats(s: Stream): number {
    let n = 0;
    for (let i = 1; i < s.queue.length; i++) n += s.queue[i]!.beats;
    return n;
  }

  private finish(b: Burst): void {
    const s = b.stream;
    this.active.splice(this.active.indexOf(b), 1);
    s.queue.shift();
    if (s.dir === 'read') {
      s.inFlight--;
      // Every burst still queued (the new head included) has delivered nothing yet.
      s.delivered = s.requested - this.pendingBeats(s) - (s.queue[0]?.beats ?? 0);
      this.issueReads(s);
    } else {
      s.transferred += b.beats;
      this.q.at(this.q.now + this.cfg.latency, () => {
        s.responded += b.beats;
        s.inFlight--;
        this.issueWrites(s);
        s.wake?.();
      });
    }
    this.startNext(s);
    s.wake?.();
    this.resolve();
  }
}

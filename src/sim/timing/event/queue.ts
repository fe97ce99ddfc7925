/**
 * The event queue of the discrete-event engine: a binary min-heap on (time, sequence number), so
 * events at equal times run in the order they were scheduled and every run is deterministic.
 */
export type Action = () => void;

export class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private acts: Action[] = [];
  private seq = 0;
  /** Current simulation time (cycles, fractional: a shared port moves fractions of a beat per cycle). */
  now = 0;
  /** Events run so far (the engine's cost measure). */
  count = 0;

  get size(): number {
    return this.times.length;
  }

  at(time: number, act: Action): void {
    if (time < this.now) time = this.now;
    const t = this.times, s = this.seqs, a = this.acts;
    let i = t.length;
    t.push(time);
    s.push(this.seq++);
    a.push(act);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p]! < t[i]! || (t[p] === t[i] && s[p]! < s[i]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Run the earliest event; false when none is left. */
  step(): boolean {
    const n = this.times.length;
    if (n === 0) return false;
    const time = this.times[0]!;
    const act = this.acts[0]!;
    this.swap(0, n - 1);
    this.times.pop();
    this.seqs.pop();
    this.acts.pop();
    this.down(0);
    this.now = time;
    this.count++;
    act();
    return true;
  }

  private down(i: number): void {
    const t = this.times, s = this.seqs, n = t.length;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && (t[l]! < t[m]! || (t[l] === t[m] && s[l]! < s[m]!))) m = l;
      if (r < n && (t[r]! < t[m]! || (t[r] === t[m] && s[r]! < s[m]!))) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const t = this.times, s = this.seqs, a = this.acts;
    [t[i], t[j]] = [t[j]!, t[i]!];
    [s[i], s[j]] = [s[j]!, s[i]!];
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

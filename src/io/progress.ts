/**
 * Terminal progress line for long commands (dse points, validate blocks), redrawn at most 10
 * times a second on stderr. Silent when stderr is not a terminal or CI is set, so logs and piped
 * output stay clean and comparable between runs.
 *
 * Work that was not done in this run (points reused by `dse --resume`) is counted with `skip()`:
 * it moves the bar but not the rate, otherwise a resumed run would show thousands of "points per
 * second" in its first second and an ETA of zero.
 */

export interface ProgressOptions {
  /** Unit of the rate, e.g. `pt` (points) or `blk` (blocks). */
  readonly unit?: string;
  readonly stream?: { write(s: string): unknown; isTTY?: boolean };
}

/** Whether a progress line should be drawn: stderr is a terminal and this is not a CI run. */
export function progressWanted(stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return Boolean(stream.isTTY) && !ci;
}

export class Progress {
  private done = 0;
  private skipped = 0;
  private last = 0;
  private t0 = Date.now();
  private readonly unit: string;
  private readonly stream: { write(s: string): unknown };

  constructor(private readonly total: number, private readonly enabled: boolean, opts: ProgressOptions = {}) {
    this.unit = opts.unit ?? 'pt';
    this.stream = opts.stream ?? process.stderr;
  }

  /** Enabled exactly when `progressWanted()`. */
  static auto(total: number, opts: ProgressOptions = {}): Progress {
    return new Progress(total, progressWanted(opts.stream ?? process.stderr), opts);
  }

  /**
   * A phase before the counted work starts (e.g. building the accuracy calibration), shown until
   * the first count; the rate clock restarts when counting begins so the phase does not dilute it.
   */
  phase(text: string): void {
    if (this.enabled) this.stream.write(`\r${text}\x1b[K`);
    this.t0 = Date.now();
  }

  /** `n` units already done elsewhere (resumed): advance the bar, not the rate. */
  skip(n: number): void {
    this.skipped += n;
    this.add(n);
    if (this.done === this.skipped) this.t0 = Date.now();
  }

  add(n: number, extra = ''): void {
    this.done += n;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && this.done < this.total) return;
    this.last = now;
    const line = formatProgress(this.done, this.total, (now - this.t0) / 1000, { skipped: this.skipped, unit: this.unit });
    this.stream.write(`\r${line}${extra ? '  ' + extra : ''}\x1b[K`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}

function clock(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const t = Math.round(s);
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}

/**
 * `[#######.......]  700/2000  35%  1234 pt/s  ETA 0:01`. The rate counts only the work done in
 * `seconds` (done − skipped); with none measured yet it reads `-- pt/s` and the ETA `--:--`.
 */
export function formatProgress(done: number, total: number, seconds: number, o: { skipped?: number; unit?: string } = {}): string {
  const width = 24;
  const unit = o.unit ?? 'pt';
  const worked = done - (o.skipped ?? 0);
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const fill = Math.round(frac * width);
  const rate = seconds > 0 && worked > 0 ? worked / seconds : 0;
  const eta = rate > 0 ? Math.max(0, total - done) / rate : Infinity;
  const rateText = rate > 0 ? (rate >= 10 ? rate.toFixed(0) : rate.toPrecision(2)) : '--';
  return `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} ${Math.floor(frac * 100)}%  ${rateText} ${unit}/s  ETA ${clock(eta)}`;
}

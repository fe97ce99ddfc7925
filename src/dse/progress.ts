/**
 * Terminal progress bar with rate and ETA, redrawn at most 10 times a second on stderr. Silent
 * when stderr is not a terminal or CI is set (logs stay clean and comparable).
 */
export class Progress {
  private done = 0;
  private last = 0;
  private readonly t0 = Date.now();

  constructor(private readonly total: number, private readonly enabled: boolean, private readonly stream = process.stderr) {}

  static auto(total: number): Progress {
    return new Progress(total, Boolean(process.stderr.isTTY) && !process.env.CI);
  }

  add(n: number, extra = ''): void {
    this.done += n;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && this.done < this.total) return;
    this.last = now;
    this.stream.write(`\r${formatProgress(this.done, this.total, (now - this.t0) / 1000)}${extra ? '  ' + extra : ''}\x1b[K`);
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

/** `[#######.......]  700/2000  35%  1234 pt/s  ETA 0:01` */
export function formatProgress(done: number, total: number, seconds: number): string {
  const width = 24;
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const fill = Math.round(frac * width);
  const rate = seconds > 0 ? done / seconds : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} ${Math.floor(frac * 100)}%  ${rate.toFixed(0)} pt/s  ETA ${clock(eta)}`;
}

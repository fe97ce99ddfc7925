/** Shared benchmark plumbing: every bench module returns rows; index.ts prints one table. */
export interface BenchRow {
  /** What was measured, e.g. "float64 MAC". */
  readonly name: string;
  readonly value: number;
  /** Unit of value, e.g. "MAC/s", "ms", "points/s". */
  readonly unit: string;
  /** Ratio to a baseline measured in the same run, with the baseline named in `note`. */
  readonly ratio?: number;
  readonly note?: string;
}

export type BenchModule = { readonly title: string; run(): Promise<BenchRow[]> };

/** Median wall time in ms of `reps` runs of fn (after one warm-up run). */
export function timeMs(fn: () => void, reps = 5): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + ' G';
  if (a >= 1e6) return (v / 1e6).toFixed(2) + ' M';
  if (a >= 1e4) return (v / 1e3).toFixed(1) + ' k';
  if (a >= 100) return v.toFixed(0);
  return v.toPrecision(3);
}

export function printTable(title: string, rows: readonly BenchRow[]): void {
  const lines = rows.map((r) => [r.name, `${fmt(r.value)}${r.unit}`, r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`, r.note ?? '']);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((l) => l[i]!.length), ['measurement', 'value', 'ratio', 'note'][i]!.length));
  const row = (l: string[]): string => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`\n## ${title}\n${row(['measurement', 'value', 'ratio', 'note'])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const l of lines) process.stdout.write(row(l) + '\n');
}

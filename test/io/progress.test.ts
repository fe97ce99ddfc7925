/** The progress line: its text, its silence off a terminal, and a rate that ignores resumed work. */
import { describe, expect, it } from 'vitest';
import { formatProgress, Progress, progressWanted } from '../../src/io/progress.js';

function sink(isTTY: boolean): { write(s: string): boolean; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(s: string) { this.text += s; return true; } };
}

describe('formatProgress', () => {
  it('shows done/total, percentage, rate and ETA', () => {
    // 500 of 2000 in 2 s: 250 points/s, 1500 left → 6 s; 24-character bar, 25 % = 6 '#'.
    expect(formatProgress(500, 2000, 2)).toBe('[######..................] 500/2000 25%  250 pt/s  ETA 0:06');
    expect(formatProgress(3, 12, 2, { unit: 'blk' })).toBe('[######..................] 3/12 25%  1.5 blk/s  ETA 0:06');
  });

  it('has no rate before anything was measured', () => {
    expect(formatProgress(0, 10, 0)).toBe('[........................] 0/10 0%  -- pt/s  ETA --:--');
  });

  it('counts resumed (skipped) work in the bar but not in the rate', () => {
    // 1800 of 2000 done, 1500 of them reused; 300 new in 3 s = 100/s, 200 left → 2 s.
    expect(formatProgress(1800, 2000, 3, { skipped: 1500 })).toBe('[######################..] 1800/2000 90%  100 pt/s  ETA 0:02');
    // Right after --resume nothing new was measured: no rate (not 1500 / 0.01 s).
    expect(formatProgress(1500, 2000, 0.01, { skipped: 1500 })).toMatch(/1500\/2000 75%  -- pt\/s  ETA --:--$/);
  });
});

describe('Progress', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const s = sink(false);
    const p = Progress.auto(10, { stream: s });
    p.phase('calibrating');
    p.skip(3);
    p.add(7);
    p.finish();
    expect(s.text).toBe('');
  });

  it('draws on a terminal outside CI, and is silent under CI', () => {
    expect(progressWanted({ isTTY: true }, {})).toBe(true);
    expect(progressWanted({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: 'false' })).toBe(true);
    expect(progressWanted({ isTTY: false }, {})).toBe(false);
    const s = sink(true);
    const p = new Progress(4, true, { stream: s, unit: 'blk' });
    p.phase('calibrating…');
    p.add(4);
    p.finish();
    expect(s.text.startsWith('\rcalibrating…\x1b[K\r[########################] 4/4 100%')).toBe(true);
    expect(s.text.endsWith('\r\x1b[K')).toBe(true);
  });
});

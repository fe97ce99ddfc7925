/**
 * Which constraint binds: infeasible points counted per resource (dsp, bram36, uram, lut, ff,
 * clock), and for a feasible point the resource closest to its limit. The DSE summary prints the
 * counts; the report shows both (docs/dse.md §7).
 */
import { attainableClock } from '../hw/clock.js';
import type { Part } from '../parts/parts.js';
import { CLOCK_REASON, type PointRecord } from './evaluate.js';

export const LIMITS = ['dsp', 'bram36', 'uram', 'lut', 'ff', 'clock'] as const;
export type Limit = typeof LIMITS[number];

/** The resource a rejection reason names (`does not fit: dsp`, `clock above attainable`), if any. */
export function limitOf(reason: string): Limit | undefined {
  if (reason === CLOCK_REASON) return 'clock';
  const m = /^does not fit: (\w+)$/.exec(reason);
  return m && (LIMITS as readonly string[]).includes(m[1]!) ? (m[1] as Limit) : undefined;
}

/** Points rejected by each limit (a point over two limits counts for both). */
export function countByLimit(records: readonly Pick<PointRecord, 'reasons'>[]): Record<Limit, number> {
  const out = Object.fromEntries(LIMITS.map((l) => [l, 0])) as Record<Limit, number>;
  for (const r of records) {
    for (const l of new Set(r.reasons.map(limitOf))) if (l) out[l]++;
  }
  return out;
}

export interface Headroom {
  readonly limit: Limit;
  /** Fraction of the limit used: utilisation for resources, clockMHz / attainable for the clock. */
  readonly used: number;
}

/**
 * How close a point is to each limit, tightest first: resource utilisations and the requested
 * clock over the attainable-clock estimate of that utilisation. The first entry is the binding one.
 */
export function headroom(part: Part, clockMHz: number, util: Readonly<Record<'dsp' | 'bram36' | 'uram' | 'lut' | 'ff', number>>): Headroom[] {
  const clock = attainableClock(part, util);
  const rows: Headroom[] = (['dsp', 'bram36', 'uram', 'lut', 'ff'] as const).map((k) => ({ limit: k, used: util[k] }));
  rows.push({ limit: 'clock', used: clock.mhz > 0 ? clockMHz / clock.mhz : Infinity });
  return rows.sort((a, b) => b.used - a.used || LIMITS.indexOf(a.limit) - LIMITS.indexOf(b.limit));
}

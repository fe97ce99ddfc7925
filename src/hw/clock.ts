/**
 * Attainable clock of a vitforge HLS design on a part: what post-route timing closure is likely to
 * give, from the part's family, speed grade and die count and the design's utilisation. A model
 * with a stated ±20 % band, not a timing analysis; sources, calibration points and what it ignores
 * are in docs/clock.md. `simulate` warns above it; `dse` rejects points above it unless
 * `--optimistic-clock`.
 *
 *   f = f_top(family, grade) × derate(u) × dies(u, SLRs),   u = max utilisation over DSP/BRAM/URAM/LUT/FF
 */
import { fabricOf, type Family, type SpeedGrade } from '../parts/fabric.js';

/** The utilisation fractions of a resource estimate (`ResourceEstimate.util`). */
export interface Utilisation {
  readonly dsp: number;
  readonly bram36: number;
  readonly uram: number;
  readonly lut: number;
  readonly ff: number;
}

export interface AttainableClock {
  /** Central estimate, MHz (whole MHz, rounded down). */
  readonly mhz: number;
  /** The ±20 % band (high capped at the DSP primitive's data-sheet fmax), MHz. */
  readonly lowMHz: number;
  readonly highMHz: number;
  /** How the figure was reached, one short clause per factor. */
  readonly reasons: readonly string[];
}

/**
 * Fabric speed index: MicroBlaze V fmax in each family's fastest speed grade (UG1629, MicroBlaze V
 * Processor Reference Guide 2025.2, "Maximum Frequencies"). A LUT/carry/BRAM-bound soft core is a
 * better proxy for an HLS datapath's critical paths (muxes, adders, address logic) than the DSP or
 * clock-buffer fmax, which differ between families for reasons a fabric-bound design never sees
 * (Versal's DSP58 runs at 1,150 MHz, its fabric is no faster than UltraScale+).
 */
const FABRIC_INDEX_MHZ: Readonly<Record<Family, number>> = {
  zynq7000: 224, zynqmp: 506, virtexup: 556, versal: 460,
};

/**
 * Speed of each grade relative to the family's fastest (−3), from data-sheet tables that list all
 * grades: UltraScale+ DSP48E2 FMAX with all registers (DS925 Zynq UltraScale+ / DS923 Virtex
 * UltraScale+: −3 891, −2 775, −1 645; VCCINT 0.72 V: −2 644, −1 600 MHz); Versal global clock
 * buffer FMAX (DS956 Versal Prime: −3 H 1150, −2 M 1070, −1 M 984, −2 at 0.70 V 800, −1 at
 * 0.70 V 680 MHz); 7-series from AXI Chip2Chip on Artix-7 (PG067 Table 1, AXI4: −1 150, −2 180,
 * −3 200 MHz; PG067 states Zynq-7000 is expected to match Artix-7). `-2L` Alveo parts run at
 * VCCINT 0.85 V and so take the −2 column; `-1L`/`-2LV` are the 0.72 V (Versal 0.70 V) columns.
 */
const GRADE_RATIO: Readonly<Record<Family, Partial<Record<SpeedGrade, number>>>> = {
  zynqmp: { '-3': 1, '-2': 775 / 891, '-2L': 775 / 891, '-1': 645 / 891, '-2LV': 644 / 891, '-1L': 600 / 891 },
  virtexup: { '-3': 1, '-2': 775 / 891, '-2L': 775 / 891, '-1': 645 / 891, '-2LV': 644 / 891, '-1L': 600 / 891 },
  versal: { '-3': 1, '-2': 1070 / 1150, '-1': 984 / 1150, '-2L': 800 / 1150, '-2LV': 800 / 1150, '-1L': 680 / 1150 },
  zynq7000: { '-3': 1, '-2': 180 / 200, '-2L': 180 / 200, '-1': 150 / 200, '-1L': 150 / 200 },
};

/**
 * Data-sheet fmax of the DSP primitive (all pipeline registers), the hard ceiling of the band:
 * DS925/DS923 for DSP48E2 (above), DS960 Versal HBM DSP58 FMAX_INT_MULT (27 × 24): 1150 (−3),
 * 1070 (−2), 984 (−1), 760 / 680 at low voltage. No 7-series figure is used (none could be checked
 * against DS187); the Zynq-7000 band is far below any DSP48E1 limit anyway.
 */
const DSP_FMAX_MHZ: Readonly<Record<Family, Partial<Record<SpeedGrade, number>>>> = {
  zynqmp: { '-3': 891, '-2': 775, '-2L': 775, '-1': 645, '-2LV': 644, '-1L': 600 },
  virtexup: { '-3': 891, '-2': 775, '-2L': 775, '-1': 645, '-2LV': 644, '-1L': 600 },
  versal: { '-3': 1150, '-2': 1070, '-1': 984, '-2L': 760, '-2LV': 760, '-1L': 680 },
  zynq7000: {},
};

/**
 * HLS datapath vs MicroBlaze V on an almost empty part. Calibrated on Zynq UltraScale+ −2, where
 * vitforge-style HLS accelerators close 300 MHz at 50–73 % DSP (Edge-MoE, ICCAD 2023; UbiMoE,
 * arXiv 2502.05602: 1,850 of 2,520 DSP at 300 MHz) and small kernels reach about 400 MHz:
 * 0.9 × 506 × 775/891 = 396 MHz at low utilisation, 331 MHz at 73 % (docs/clock.md §3).
 */
const HLS_VS_FABRIC = 0.9;

/** Utilisation up to which placement is unconstrained (no derating). */
const FREE_UTILISATION = 0.5;

/**
 * Loss at 100 % utilisation: UG1399 ("Specifying the Clock Frequency") notes that when the design
 * consumes most of the device, placement and routing are tight and delays exceed the estimates;
 * 0.35 puts a 96 %-DSP design on a −2 ZCU102 at ≈ 270 MHz, below the 300 MHz that UbiMoE reached
 * at 73 % (calibration in docs/clock.md §3).
 */
const FULL_UTILISATION_LOSS = 0.35;

/**
 * Loss of a design spread over every die of a multi-SLR part without floorplanning: AutoBridge
 * (Guo et al., FPGA 2021) measured 43 large HLS designs on Alveo U250/U280 at 147 MHz on average
 * with the default flow against 297 MHz with die-aware floorplanning and pipelining — a factor of
 * ≈ 0.5, which vitforge's generated kernels (no SLR floorplanning) must expect once they outgrow one die.
 */
const ALL_DIES_LOSS = 0.5;

/** Relative half-width of the band (judgement from the spread of the calibration points, docs/clock.md §4). */
export const CLOCK_UNCERTAINTY = 0.2;

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
const pct = (x: number): string => `${Math.round(x * 100)} %`;

/** Attainable clock of a design using `util` of `part` (fractions, as in the resource estimate). */
export function attainableClock(part: Parameters<typeof fabricOf>[0], util: Utilisation): AttainableClock {
  const fab = fabricOf(part);
  const ratio = GRADE_RATIO[fab.family][fab.speedGrade] ?? GRADE_RATIO[fab.family]['-1'] ?? 0.75;
  const top = HLS_VS_FABRIC * FABRIC_INDEX_MHZ[fab.family] * ratio;
  const reasons = [`${fab.family} ${fab.speedGrade}: ${Math.floor(top)} MHz on a lightly used part`];

  // A resource the part lacks but the design uses has utilisation Infinity: count it as full.
  const keys: (keyof Utilisation)[] = ['dsp', 'bram36', 'uram', 'lut', 'ff'];
  const entries = keys.map((k) => [k, Number.isNaN(util[k]) ? 0 : Math.min(util[k], 1)] as [keyof Utilisation, number]);
  const [worst, u] = entries.reduce((a, b) => (b[1] > a[1] ? b : a), ['dsp', 0] as [keyof Utilisation, number]);
  const derate = 1 - FULL_UTILISATION_LOSS * clamp01((u - FREE_UTILISATION) / (1 - FREE_UTILISATION));
  if (derate < 1) reasons.push(`${pct(u)} ${worst} → ×${derate.toFixed(2)}`);

  let dies = 1;
  if (fab.slrs > 1) {
    const share = 1 / fab.slrs;
    dies = 1 - ALL_DIES_LOSS * clamp01((u - share) / (1 - share));
    if (dies < 1) reasons.push(`spans ${fab.slrs} SLRs without floorplanning → ×${dies.toFixed(2)}`);
  }
  const f = top * derate * dies;
  const ceiling = DSP_FMAX_MHZ[fab.family][fab.speedGrade] ?? Infinity;
  return {
    mhz: Math.floor(f),
    lowMHz: Math.floor(f * (1 - CLOCK_UNCERTAINTY)),
    highMHz: Math.floor(Math.min(f * (1 + CLOCK_UNCERTAINTY), ceiling)),
    reasons,
  };
}

/** Attainable clock of an almost empty design: the top of the part's useful clock range. */
export function lightDesignClock(part: Parameters<typeof fabricOf>[0]): AttainableClock {
  return attainableClock(part, { dsp: 0, bram36: 0, uram: 0, lut: 0, ff: 0 });
}

/** One line for reports: `≈ 331 MHz (265–397 MHz, ±20 %)`. */
export function formatClock(c: AttainableClock): string {
  return `≈ ${c.mhz} MHz (${c.lowMHz}–${c.highMHz} MHz, ±${Math.round(CLOCK_UNCERTAINTY * 100)} %)`;
}

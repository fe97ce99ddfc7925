/**
 * Hardware math library: evaluation speed of each unit (against the float64 function it
 * approximates, measured in the same run) and the measured worst-case errors of the default
 * configurations on dense sweeps (docs/math.md quotes these numbers).
 */
import { geluExact } from '../src/kernels/erf.js';
import { buildGeluTable, expHw, geluHw, recipHw, rsqrtHw } from '../src/fixed/math/index.js';
import { parseFixedType } from '../src/fixed/type.js';
import { timeMs, type BenchModule, type BenchRow } from './table.js';

const FM = parseFixedType('ap_fixed<32,10>');
const LNSTAT = parseFixedType('ap_fixed<48,24>');
const WIDE_EXP = parseFixedType('ap_fixed<40,4>');
const N = 1_000_000;
const ulp22 = 2 ** -22;

/** Integer-valued raw inputs spread over each unit's live range. */
function inputs(lo: number, hi: number): Float64Array {
  const a = new Float64Array(N);
  for (let i = 0; i < N; i++) a[i] = Math.round(lo + ((hi - lo) * ((i * 7919) % N)) / N);
  return a;
}

function rate(fn: (x: number) => number, xs: Float64Array): number {
  let sink = 0;
  const ms = timeMs(() => { for (let i = 0; i < xs.length; i++) sink += fn(xs[i]!); }, 3);
  if (sink === Number.NEGATIVE_INFINITY) console.log(sink); // keep the loop observable
  return xs.length / (ms / 1e3);
}

export default {
  title: 'fixed/math (exp, recip, rsqrt, GELU table)',
  async run(): Promise<BenchRow[]> {
    const table = buildGeluTable(1 / 32, 4, parseFixedType('ap_ufixed<16,-2>'));
    const dExp = inputs(-22 * 2 ** 22, 0);
    const xRecip = inputs(2 ** 22, 512 * 2 ** 22 - 1);
    const xRsqrt = inputs(1, 1e4 * 2 ** 24);
    const xGelu = inputs(-5 * 2 ** 22, 5 * 2 ** 22);
    const rows: BenchRow[] = [];
    const speed = (name: string, hw: (x: number) => number, ref: (x: number) => number, xs: Float64Array, refName: string): void => {
      const r = rate(hw, xs);
      rows.push({ name: `${name} evaluations`, value: r, unit: '/s', ratio: r / rate(ref, xs), note: `vs ${refName}` });
    };
    speed('expHw', (d) => expHw(d, 22, FM), (d) => Math.exp(d * ulp22), dExp, 'Math.exp');
    speed('recipHw', (x) => recipHw(x, FM, FM), (x) => 1 / (x * ulp22), xRecip, '1/x');
    speed('rsqrtHw', (x) => rsqrtHw(x, LNSTAT, LNSTAT), (x) => 1 / Math.sqrt(x * 2 ** -24), xRsqrt, '1/Math.sqrt');
    speed('geluHw', (x) => geluHw(x, FM, table), (x) => geluExact(x * ulp22), xGelu, 'geluExact');

    // Worst errors on the same inputs.
    let eExp = 0;
    let eExpOut = 0;
    for (const d of dExp) {
      const e = Math.exp(d * ulp22);
      eExp = Math.max(eExp, Math.abs(expHw(d, 22, WIDE_EXP) * 2 ** -36 - e));
      eExpOut = Math.max(eExpOut, Math.abs(expHw(d, 22, FM) * ulp22 - e));
    }
    let rRecip = 0;
    let eRecipOut = 0;
    const wideRecip = parseFixedType('ap_ufixed<46,2>');
    for (const x of xRecip) {
      const want = 1 / (x * ulp22);
      rRecip = Math.max(rRecip, Math.abs(recipHw(x, FM, wideRecip) * 2 ** -44 - want) / want);
      eRecipOut = Math.max(eRecipOut, Math.abs(recipHw(x, FM, FM) * ulp22 - want));
    }
    let rRsqrt = 0;
    const wideRsqrt = parseFixedType('ap_ufixed<53,13>');
    for (const x of xRsqrt) {
      if (x < 2 ** 14) continue; // keep the wide output exact (x ≥ 2^-10)
      const want = 1 / Math.sqrt(x * 2 ** -24);
      rRsqrt = Math.max(rRsqrt, Math.abs(rsqrtHw(x, LNSTAT, wideRsqrt) * 2 ** -40 - want) / want);
    }
    let eGeluIn = 0;
    let eGeluOut = 0;
    for (let raw = -(2 ** 21); raw <= 2 ** 21; raw++) { // every input of |x| < 0.5 (worst intervals)
      eGeluIn = Math.max(eGeluIn, Math.abs(geluHw(raw, FM, table) * ulp22 - geluExact(raw * ulp22)));
    }
    for (const x of xGelu) {
      const err = Math.abs(geluHw(x, FM, table) * ulp22 - geluExact(x * ulp22));
      if (Math.abs(x) * ulp22 < 4) eGeluIn = Math.max(eGeluIn, err);
      else eGeluOut = Math.max(eGeluOut, err);
    }
    rows.push(
      { name: 'exp |y − e^d| before output rounding', value: eExp, unit: '', note: 'd ∈ [-22, 0] on the 2^-22 grid; bound 5.6e-9' },
      { name: 'exp error, softmax out ap_fixed<32,10>', value: eExpOut / ulp22, unit: ' ulp', note: 'bound 1 ulp + 5.6e-9' },
      { name: 'recip relative error before output rounding', value: rRecip, unit: '', note: 'x ∈ [1, 512); bound 2^-32 = 2.3e-10' },
      { name: 'recip error, softmax out', value: eRecipOut / ulp22, unit: ' ulp' },
      { name: 'rsqrt relative error before output rounding', value: rRsqrt, unit: '', note: 'x ∈ [2^-10, 1e4]; bound 2^-32' },
      { name: 'GELU error |x| < 4 (step 1/32, ap_ufixed<16,-2>)', value: eGeluIn * 1e6, unit: 'e-6', note: 'vs erf GELU' },
      { name: 'GELU error |x| ≥ 4 (range cut-off)', value: eGeluOut * 1e6, unit: 'e-6', note: 'δ(4) = 127e-6' },
    );
    return rows;
  },
} satisfies BenchModule;

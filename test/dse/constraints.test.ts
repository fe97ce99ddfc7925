/** Constraint and derived-quantity expressions (mathjs) over design, part and results. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designToObject, loadDesign } from '../../src/design/load.js';
import { UserError } from '../../src/errors.js';
import { getPart } from '../../src/parts/parts.js';
import { checkConstraints, compileExpressions, designScope, dryRun, evaluateDerived, type Scope } from '../../src/dse/constraints.js';
import { sampleScope } from '../../src/dse/evaluate.js';
import { parseObjectives } from '../../src/dse/metrics.js';

const part = getPart('zcu102');
const sample = sampleScope(designToObject(loadDesign()), part);

async function rejects(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('constraints', () => {
  it('evaluate like the same condition written in JavaScript, conjunct by conjunct', async () => {
    const set = await compileExpressions(['dsp <= 0.9 * part.dsp and latency_ms < 30', 'types.fm.W >= 16 or clockMHz > 350'], [], sample);
    expect(set.constraints.map((c) => c.text)).toEqual(['dsp <= 0.9 * part.dsp', 'latency_ms < 30', 'types.fm.W >= 16 or clockMHz > 350']);
    fc.assert(fc.property(fc.integer({ min: 0, max: 4000 }), fc.double({ min: 1, max: 60, noNaN: true }), fc.integer({ min: 8, max: 32 }), fc.constantFrom(300, 400),
      (dsp, lat, w, clk) => {
        const s: Scope = { ...sample, dsp, latency_ms: lat, clockMHz: clk, types: { fm: { W: w, I: 10, F: w - 10, signed: true } } };
        const expected = [dsp <= 0.9 * 2520, lat < 30, w >= 16 || clk > 350];
        const got = checkConstraints(set, s);
        expect(got.failed).toEqual(set.constraints.filter((_, i) => !expected[i]).map((c) => c.text));
        expect(got.violation > 0).toBe(expected.includes(false));
      }), { seed: 42, numRuns: 200 });
  });

  it('violation measures the relative distance of a failed relation to feasibility', async () => {
    const set = await compileExpressions(['dsp <= 1000', 'gops >= 50', 'clockMHz >= 100'], [], sample);
    const out = checkConstraints(set, { ...sample, dsp: 1500, gops: 40 });
    // (1500 − 1000) / 1500 + (50 − 40) / 50
    expect(out.violation).toBeCloseTo(500 / 1500 + 10 / 50, 12);
  });

  it('derived quantities are evaluated in order and usable by later expressions', async () => {
    const set = await compileExpressions(['per_dsp > 0.01'], [['per_dsp', 'gops / dsp'], ['twice', '2 * per_dsp']], sample);
    const s: Scope = { ...sample, gops: 50, dsp: 1000 };
    evaluateDerived(set, s);
    expect(s.per_dsp).toBe(0.05);
    expect(s.twice).toBe(0.1);
    expect(checkConstraints(set, s).failed).toEqual([]);
  });

  it('text parameters compare with equalText; == on text is reported before the search', async () => {
    const ok = await compileExpressions(['equalText(buffers.weights, "pingpong")'], [], sample);
    expect(checkConstraints(ok, { ...sample, ...designScope({ ...designToObject(loadDesign()), buffers: { weights: 'single' } }) }).failed).toHaveLength(1);
    const bad = await compileExpressions(['buffers.weights == "pingpong"'], [], sample);
    const e = (() => { try { dryRun(bad, sample); } catch (x) { return x as UserError; } return undefined; })();
    expect(e?.oneLine()).toMatch(/^constraints: cannot evaluate .* \(allowed: compare text with equalText/);
  });

  it('mistakes are one-line UserErrors naming the expression', async () => {
    expect((await rejects(compileExpressions(['dsp <='], [], sample))).oneLine()).toMatch(/^constraints: syntax error in 'dsp <='/);
    expect((await rejects(compileExpressions(['latency < 3'], [], sample))).message).toMatch(/unknown quantity 'latency'/);
    expect((await rejects(compileExpressions(['part.dsp_count > 3'], [], sample))).message).toMatch(/unknown quantity 'part\.dsp_count'/);
    expect((await rejects(compileExpressions(['types.fm.Q > 3'], [], sample))).message).toMatch(/unknown quantity 'types\.fm\.Q'/);
    expect((await rejects(compileExpressions([], [['dsp', 'lut']], sample))).oneLine()).toMatch(/^derive\.dsp: 'dsp' is already defined/);
    expect((await rejects(compileExpressions([], [['x', 'y + 1']], sample))).field).toBe('derive.x');
    // Functions and constants of mathjs are not unknown quantities.
    await expect(compileExpressions(['log2(dsp) < pi * 10 and max(lut, ff) < part.lut'], [], sample)).resolves.toBeDefined();
  });
});

describe('objectives', () => {
  it('aliases, directions and derived names', () => {
    expect(parseObjectives('latency,energy,dsp,error', [])).toEqual([
      { name: 'latency_ms', minimise: true, label: 'latency' }, { name: 'energy_mj', minimise: true, label: 'energy' },
      { name: 'dsp', minimise: true, label: 'dsp' }, { name: 'error', minimise: true, label: 'error' }]);
    expect(parseObjectives('gops,min:sqnr,max:eff', ['eff'])).toEqual([
      { name: 'gops', minimise: false, label: 'gops' }, { name: 'sqnr_db', minimise: true, label: 'sqnr' }, { name: 'eff', minimise: false, label: 'eff' }]);
    expect(() => parseObjectives('latency,latency_ms', [])).toThrow(/listed twice/);
    expect(() => parseObjectives('', [])).toThrow(UserError);
  });
});

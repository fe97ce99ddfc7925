/**
 * Every design file shipped in sims/ loads, round-trips through its object form, and matches what
 * its comments promise: the Edge-MoE point is the built-in default, and the rounded-weights variant
 * differs from it only in the weight classes' quantisation mode.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designFromObject, designToObject, loadDesign } from '../../src/design/load.js';
import { projectRoot } from '../../src/model/shared.js';
import { evaluatePerformance } from '../../src/sim/timing/index.js';

const sims = join(projectRoot(), 'sims');
const files = readdirSync(sims).filter((f) => /\.(ya?ml|json)$/.test(f));

describe('shipped design files', () => {
  it.each(files)('%s loads, round-trips and simulates', (f) => {
    const d = loadDesign(join(sims, f));
    expect(designFromObject(designToObject(d))).toEqual(d);
    expect(evaluatePerformance(d).resources.fits).toBe(true);
  });

  it('edge-moe-zcu102.yaml is exactly the built-in default point', () => {
    expect(loadDesign(join(sims, 'edge-moe-zcu102.yaml'))).toEqual(loadDesign());
  });

  it('the rounded-weights variant changes only the quantisation mode of the weight classes', () => {
    const base = designToObject(loadDesign());
    const rnd = designToObject(loadDesign(join(sims, 'edge-moe-zcu102-rndw.yaml')));
    const weightClasses = ['linearWeight', 'attnBias', 'bias', 'norm', 'patchWeight'];
    const types = base.types as Record<string, string>;
    const rndTypes = rnd.types as Record<string, string>;
    for (const [k, v] of Object.entries(types)) {
      expect(rndTypes[k]).toBe(weightClasses.includes(k) ? v.replace('>', ',AP_RND>') : v);
    }
    expect({ ...rnd, name: base.name, types }).toEqual(base);
    expect(evaluatePerformance(loadDesign(join(sims, 'edge-moe-zcu102-rndw.yaml'))).cycles).toBe(evaluatePerformance(loadDesign()).cycles);
  });
});

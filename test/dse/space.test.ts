/** Search space: default lists, value specs, validation, point encoding. */
import { describe, expect, it } from 'vitest';
import { designFromObject, designToObject, loadDesign } from '../../src/design/load.js';
import { getPart } from '../../src/parts/parts.js';
import {
  baseIndex, buildSpace, defaultSpaceLists, expandValues, pointAt, pointKey, pointObject, searchableParams, withWidth,
} from '../../src/dse/space.js';
import { userError } from '../user-error.js';

const base = loadDesign();
const part = getPart('zcu102');

describe('default space', () => {
  it('tile sizes are exactly the common divisors of every m3vit-tiny linear width in 4..64', () => {
    const lists = defaultSpaceLists(base, part, false);
    // m3vit-tiny linear inputs: patch 3·16·16 = 768, D = 192, hidden 768 and 384; outputs 192, 576, 768, 384.
    const ins = [768, 192, 768, 384], outs = [192, 576, 768, 384];
    const expectIn: number[] = [], expectOut: number[] = [];
    for (let t = 4; t <= 64; t++) {
      if (ins.every((k) => k % t === 0)) expectIn.push(t);
      if (outs.every((k) => k % t === 0)) expectOut.push(t);
    }
    expect(lists.get('linear.tileIn')).toEqual(expectIn);
    expect(lists.get('linear.tileOut')).toEqual(expectOut);
    // Head width 64: dot tiles that divide it.
    expect(lists.get('attention.dotTile')).toEqual([4, 8, 16, 32]);
    const clocks = lists.get('clockMHz') as number[];
    expect(clocks.every((c) => c >= part.clockMHz.min && c <= part.clockMHz.max)).toBe(true);
    expect(lists.has('types.fm')).toBe(false);
    // Text choices come from the validator's allowed values.
    expect(lists.get('buffers.weights')).toEqual(['pingpong', 'single']);
    expect(defaultSpaceLists(base, part, true).get('types.linearWeight')).toEqual(['ap_fixed<8,2>', 'ap_fixed<12,2>', 'ap_fixed<16,2>']);
  });

  it('every point of the default space is a valid design, and the base design is one of them', () => {
    const space = buildSpace(base, part, { withTypes: false });
    expect(space.size).toBe(space.dims.reduce((s, d) => s * d.values.length, 1));
    for (let n = 0; n < space.size; n += 997) expect(() => designFromObject(pointObject(space, pointAt(space, n)))).not.toThrow();
    expect(pointObject(space, baseIndex(space))).toEqual(designToObject(base));
  });

  it('pointAt is a bijection onto the index vectors (mixed radix)', () => {
    const space = buildSpace(base, part, { others: 'fixed', params: { 'linear.tileIn': [8, 16, 32], 'attention.parallel': [1, 2], 'buffers.weights': ['pingpong', 'single'] }, withTypes: false });
    expect(space.size).toBe(12);
    const keys = new Set<string>();
    for (let n = 0; n < 12; n++) keys.add(pointKey(pointAt(space, n)));
    expect(keys.size).toBe(12);
    expect(pointKey(pointAt(space, 11))).toBe('2.1.1');
  });
});

describe('value specs', () => {
  it('ranges, powers of two, lists, single values and type widths', () => {
    expect(expandValues({ from: 200, to: 300, step: 25 }, 'clockMHz', 300)).toEqual([200, 225, 250, 275, 300]);
    expect(expandValues({ pow2: [3, 40] }, 'linear.tileIn', 16)).toEqual([4, 8, 16, 32]);
    expect(expandValues([8, 8, 16], 'linear.tileIn', 16)).toEqual([8, 16]);
    expect(expandValues(250, 'clockMHz', 300)).toEqual([250]);
    expect(expandValues({ widths: [8, 16] }, 'types.linearWeight', 'ap_fixed<16,2>')).toEqual(['ap_fixed<8,2>', 'ap_fixed<16,2>']);
    expect(expandValues({ widths: [24], int: 8 }, 'types.fm', 'ap_fixed<32,10>')).toEqual(['ap_fixed<24,8>']);
    expect(expandValues(['ap_fixed<16, 2, AP_RND>'], 'types.fm', 'ap_fixed<32,10>')).toEqual(['ap_fixed<16,2,AP_RND>']);
    expect(withWidth('ap_fixed<16,2,AP_RND,AP_SAT>', 8)).toBe('ap_fixed<8,2,AP_RND,AP_SAT>');
  });

  it('malformed specs name the parameter', () => {
    expect(userError(() => expandValues([], 'linear.tileIn', 16)).field).toBe('space.params.linear.tileIn');
    expect(userError(() => expandValues({ from: 5, to: 1 }, 'clockMHz', 300)).message).toMatch(/range/);
    expect(userError(() => expandValues(['fast'], 'clockMHz', 300)).message).toMatch(/not a number/);
    expect(userError(() => expandValues(['ap_fixd<8,2>'], 'types.fm', 'ap_fixed<32,10>')).field).toBe('space.params.types.fm');
    expect(userError(() => expandValues({ widths: [8] }, 'clockMHz', 300)).message).toMatch(/only applies to types/);
  });

  it('nested and dotted parameter names are equivalent; unknown ones are rejected', () => {
    const a = buildSpace(base, part, { others: 'fixed', params: { linear: { tileIn: [8, 16] } }, withTypes: false });
    const b = buildSpace(base, part, { others: 'fixed', params: { 'linear.tileIn': [8, 16] }, withTypes: false });
    expect(a.dims).toEqual(b.dims);
    expect(userError(() => buildSpace(base, part, { params: { linear: { tileSize: [8] } }, withTypes: false })).field).toBe('space.params.linear.tileSize');
    expect(userError(() => buildSpace(base, part, { params: { name: ['x'] }, withTypes: false })).field).toBe('space.params.name');
  });

  it('a single value pins the parameter; a dimension with no valid value makes the space empty', () => {
    const s = buildSpace(base, part, { params: { clockMHz: 250 }, withTypes: false });
    expect(s.dims.some((d) => d.name === 'clockMHz')).toBe(false);
    expect(s.base.clockMHz).toBe(250);
    const e = userError(() => buildSpace(base, part, { params: { 'attention.dotTile': [3, 5] }, withTypes: false }));
    expect(e.oneLine()).toMatch(/^space\.params\.attention\.dotTile: no value gives a valid design \(empty space\): attention\.dotTile: 3 does not divide/);
    expect(userError(() => buildSpace(base, part, { others: 'fixed', params: { clockMHz: 999 }, withTypes: false })).field).toBe('space.clockMHz');
  });

  it('every searchable parameter of the design file is known; identity and routing are not searchable', () => {
    const names = [...searchableParams(designToObject(base)).keys()];
    for (const n of ['clockMHz', 'axiBits', 'linear.tileIn', 'linear.tileOut', 'attention.parallel', 'attention.dotTile',
      'types.fm', 'types.accum', 'approx.exp', 'gelu.step', 'buffers.weights']) expect(names).toContain(n);
    for (const n of ['name', 'model', 'part', 'moe.task', 'moe.routing']) expect(names).not.toContain(n);
  });
});

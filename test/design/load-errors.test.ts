/**
 * Malformed design points are rejected with a UserError naming the offending field, and the CLI
 * turns it into one line on stderr with exit code 1 (no stack trace).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as cli } from '../cli-capture.js';
import { designFromObject } from '../../src/design/load.js';
import { checkSimulatable } from '../../src/sim/functional/context.js';
import { fieldOf } from '../user-error.js';

const tmp = mkdtempSync(join(tmpdir(), 'vf-design-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('design validation names the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['unknown type syntax', { types: { fm: 'ap_fixd<32,10>' } }, 'types.fm'],
    ['type with a non-integer width', { types: { accum: 'ap_fixed<3x,10>' } }, 'types.accum'],
    ['unknown quantisation mode', { types: { softmax: 'ap_fixed<32,10,AP_ROUND>' } }, 'types.softmax'],
    ['signed GELU table', { types: { geluTable: 'ap_fixed<16,-2>' } }, 'types.geluTable'],
    ['unsigned accumulator', { types: { accum: 'ap_ufixed<32,10>' } }, 'types.accum'],
    ['linear tile that does not divide 192', { linear: { tileIn: 5 } }, 'linear.tileIn'],
    ['output tile that does not divide 576', { linear: { tileOut: 7 } }, 'linear.tileOut'],
    ['attention dot tile that does not divide the head width 64', { attention: { dotTile: 6 } }, 'attention.dotTile'],
    ['attention parallelism larger than the 129 tokens', { attention: { parallel: 130 } }, 'attention.parallel'],
    ['unknown part', { part: 'zcu999' }, 'part'],
    ['GELU step not a power of two', { gelu: { step: 0.03 } }, 'gelu.step'],
    ['unknown approximation value', { approx: { exp: 'fast' } }, 'approx.exp'],
    ['unknown top-level field', { tiles: 3 }, 'tiles'],
    ['task beyond the model', { moe: { task: 2 } }, 'moe.task'],
  ];
  for (const [label, obj, field] of cases) {
    it(label, () => expect(fieldOf(() => designFromObject(obj))).toBe(field));
  }

  it('an unknown model preset is reported by its own name, a missing model file by its path', () => {
    expect(() => designFromObject({ model: 'vit-x' }, tmp)).toThrow(/unknown model preset 'vit-x'/);
    expect(() => designFromObject({ model: 'models/m.yaml' }, tmp)).toThrow(`file not found: ${join(tmp, 'models/m.yaml')}`);
  });

  it('the functional simulator rejects types wider than 53 bits (valid for the schema)', () => {
    const d = designFromObject({ types: { lnStat: 'ap_fixed<60,24>' } });
    expect(fieldOf(() => checkSimulatable(d))).toBe('types.lnStat');
  });
});

describe('CLI prints one line and exits 1', () => {

  for (const [name, text, field] of [
    ['bad-type.yaml', 'types:\n  fm: ap_fixed<32;10>\n', 'types.fm'],
    ['bad-tile.yaml', 'linear:\n  tileIn: 10\n', 'linear.tileIn'],
    ['bad-parallel.yaml', 'attention:\n  parallel: 1000\n', 'attention.parallel'],
    ['bad-part.yaml', 'part: vu9p-nope\n', 'part'],
    ['too-wide.yaml', 'types:\n  accum: ap_fixed<64,20>\n', 'types.accum'],
  ] as const) {
    it(`${name} → ${field}`, async () => {
      const path = join(tmp, name);
      writeFileSync(path, text);
      const r = await cli('validate', '--design', path, '--layers', '0');
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(new RegExp(`^vitforge: error: ${field.replace('.', '\\.')}: `));
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    });
  }
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { imageSize, loadImage, syntheticImage } from '../../src/model/image.js';
import { presetModel } from '../../src/model/presets.js';
import { sameValues } from './arrays.js';

const tmp = mkdtempSync(join(tmpdir(), 'vitforge-img-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const m = presetModel('m3vit-tiny');

describe('images', () => {
  it('synthetic images hold k/256, k in 0..255, all values used, seeded', () => {
    const img = syntheticImage(m, 4);
    expect(img.length).toBe(3 * 128 * 256);
    const ks = new Set<number>();
    let onGrid = true;
    for (const v of img) {
      const k = v * 256;
      onGrid &&= Number.isInteger(k) && k >= 0 && k <= 255;
      ks.add(k);
    }
    expect(onGrid).toBe(true);
    expect(ks.size).toBe(256);
    expect(sameValues(syntheticImage(m, 4), img)).toBe(true);
    expect(sameValues(syntheticImage(m, 5), img)).toBe(false);
  });

  it('round-trips a raw float32 file', () => {
    const img = syntheticImage(m, 1);
    const p = join(tmp, 'img.bin');
    writeFileSync(p, new Uint8Array(img.buffer));
    expect(sameValues(loadImage(p, m), img)).toBe(true);
  });

  it('a wrong size names the file, expected and actual bytes', () => {
    const p = join(tmp, 'short.bin');
    writeFileSync(p, new Uint8Array(100));
    try {
      loadImage(p, m);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).oneLine()).toBe(`${p}: wrong size: expected ${4 * imageSize(m)} bytes (float32 [3][128][256] for m3vit-tiny), found 100`);
    }
    expect(() => loadImage(join(tmp, 'absent.bin'), m)).toThrow(/file not found/);
    expect(() => loadImage(tmp, m)).toThrow(/not a file/);
  });

  it('rejects non-finite pixels', () => {
    const img = syntheticImage(m, 1);
    img[7] = NaN;
    const p = join(tmp, 'nan.bin');
    writeFileSync(p, new Uint8Array(img.buffer));
    expect(() => loadImage(p, m)).toThrow(/value 7 is not finite/);
  });
});

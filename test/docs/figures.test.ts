/**
 * Quoted figures cannot drift: every `<!-- fig:NAME -->VALUE<!-- /fig -->` in README.md and
 * docs/*.md must equal what scripts/figures.ts computes from the code now. A failure names the
 * file, the figure and both values; fix it with `npm run docs:figures` (and read the diff: a
 * changed model figure may need a changed sentence around it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles } from '../../scripts/docs-figures.js';
import { FIGURES, marks, rewrite } from '../../scripts/figures.js';
import { projectRoot } from '../../src/model/shared.js';

const root = projectRoot();
const docs = docFiles(root).map((rel) => ({ rel, text: readFileSync(join(root, rel), 'utf8') }));

describe('figure markers', () => {
  it('are found and rewritten in place, leaving everything else untouched', () => {
    const text = 'a <!-- fig:x -->1<!-- /fig --> b\n<!-- fig:y -->two\nlines<!-- /fig -->';
    expect(marks(text)).toEqual([{ name: 'x', value: '1' }, { name: 'y', value: 'two\nlines' }]);
    expect(rewrite(text, { x: '42' }, ['x', 'y'])).toBe('a <!-- fig:x -->42<!-- /fig --> b\n<!-- fig:y -->two\nlines<!-- /fig -->');
    expect(() => rewrite('<!-- fig:nope -->1<!-- /fig -->', {}, ['x'])).toThrow(/unknown figure 'nope'/);
  });
});

describe('figures quoted in README.md and docs/', () => {
  const all = docs.flatMap((d) => marks(d.text).map((m) => ({ ...m, rel: d.rel })));

  it('every marker names a known figure, and every figure is quoted somewhere', () => {
    expect(all.length).toBeGreaterThan(10);
    for (const m of all) expect(Object.keys(FIGURES), `${m.rel}: ${m.name}`).toContain(m.name);
    for (const name of Object.keys(FIGURES)) expect(all.some((m) => m.name === name), name).toBe(true);
  });

  it('every quoted value equals what the code computes now (regenerate: npm run docs:figures)', () => {
    const stale: string[] = [];
    const skipped: string[] = [];
    const cache = new Map<string, string | undefined>();
    for (const m of all) {
      if (!cache.has(m.name)) cache.set(m.name, FIGURES[m.name]!.compute());
      const v = cache.get(m.name);
      if (v === undefined) skipped.push(`${m.rel}: ${m.name}`);
      else if (v !== m.value) stale.push(`${m.rel}: ${m.name} quoted ${JSON.stringify(m.value)}, computed ${JSON.stringify(v)}`);
    }
    if (skipped.length) process.stderr.write(`figures: not computed here (no real weights): ${skipped.join('; ')}\n`);
    expect(stale).toEqual([]);
  }, 120_000);
});

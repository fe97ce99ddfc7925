/**
 * `npm run docs:figures`: recompute every figure marked in README.md and docs/*.md (see
 * scripts/figures.ts) and rewrite the files; `--check` only reports differences (exit 1).
 * Figures whose inputs are absent here (the real weights) are left as they are, with a note.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/model/shared.js';
import { FIGURES, marks, rewrite } from './figures.js';

export function docFiles(root = projectRoot()): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join('docs', f))];
}

function main(): number {
  const check = process.argv.includes('--check');
  const root = projectRoot();
  const values: Record<string, string | undefined> = {};
  let stale = 0;
  for (const rel of docFiles(root)) {
    const path = join(root, rel);
    const text = readFileSync(path, 'utf8');
    const found = marks(text);
    if (found.length === 0) continue;
    for (const m of found) {
      const fig = FIGURES[m.name];
      if (!fig) throw new Error(`${rel}: unknown figure '${m.name}'`);
      if (!(m.name in values)) values[m.name] = fig.compute();
      const v = values[m.name];
      if (v === undefined) process.stderr.write(`docs:figures: ${rel}: ${m.name} not computed here (${fig.source} unavailable); left as is\n`);
      else if (v !== m.value) {
        stale++;
        process.stdout.write(`${rel}: ${m.name}: ${JSON.stringify(m.value)} -> ${JSON.stringify(v)}\n`);
      }
    }
    if (!check) {
      const next = rewrite(text, values);
      if (next !== text) writeFileSync(path, next);
    }
  }
  process.stdout.write(`docs:figures: ${stale} figure(s) ${check ? 'out of date' : 'rewritten'}\n`);
  return check && stale > 0 ? 1 : 0;
}

if (process.argv[1] && /docs-figures\.[jt]s$/.test(process.argv[1])) process.exitCode = main();

/**
 * `npm run bench`: every benchmark module, one table each. Ratios compare figures measured in the
 * same run. Optional filter: `npm run bench -- fixed` runs modules whose title contains "fixed".
 */
import { printTable, type BenchModule } from './table.js';

/** Bench modules register here; keep one line per module. */
const MODULES: (() => Promise<BenchModule>)[] = [
  () => import('./float.js').then((m) => m.default),
  () => import('./simulate.js').then((m) => m.default),
  () => import('./functional.js').then((m) => m.default),
  () => import('./fixed.js').then((m) => m.default),
  () => import('./csim-headers.js').then((m) => m.default),
  () => import('./dse.js').then((m) => m.default),
  () => import('./dse-queue.js').then((m) => m.default),
  () => import('./math.js').then((m) => m.default),
];

const filter = process.argv[2]?.toLowerCase();
for (const load of MODULES) {
  const mod = await load();
  if (filter && !mod.title.toLowerCase().includes(filter)) continue;
  printTable(mod.title, await mod.run());
}

/**
 * Where the shared, read-only data lives (real M3ViT weights and the stand-in expert matrices).
 * The data is never copied into the project: code and tests find it through `sharedDir()`.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let rootCache: string | undefined;

/** The folder holding vitforge's package.json (works from src/ under vitest and from dist/). */
export function projectRoot(): string {
  if (rootCache) return rootCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (rootCache = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** `$VITFORGE_SHARED`, else `<project root>/../shared`. */
export function sharedDir(): string {
  const env = process.env.VITFORGE_SHARED;
  return env ? resolve(env) : resolve(projectRoot(), '..', 'shared');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The weight folders for the complete M3ViT-tiny network, in overlay order: the real dump first,
 * then the stand-in expert matrices for the 12 files it lacks. Undefined when either is absent
 * (tests then skip the real-weight cases).
 */
export function m3vitDirs(): string[] | undefined {
  const base = sharedDir();
  const dirs = [join(base, 'm3vit'), join(base, 'm3vit-synthetic-experts')];
  return dirs.every(isDir) ? dirs : undefined;
}

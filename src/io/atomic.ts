/**
 * Writing outputs so that a failure never leaves half a file: write a temporary sibling, then
 * rename it over the target (rename is atomic within one file system).
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

/** Fail early, naming `field`, when `path` cannot be an output file. */
export function checkOutputFile(path: string, field: string): void {
  const abs = resolve(path);
  if (!existsSync(dirname(abs))) throw new UserError(field, `parent folder does not exist: ${dirname(abs)}`);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UserError(field, `${path} is a directory`);
}

export function writeFileAtomic(path: string, data: string | Uint8Array, field: string): void {
  checkOutputFile(path, field);
  const abs = resolve(path);
  const tmp = `${abs}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(field, `cannot write ${abs}: ${(e as Error).message}`);
  }
}

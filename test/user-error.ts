/** The UserError a call throws (any other exception propagates; no exception fails the test). */
import { UserError } from '../src/errors.js';

export function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

/** The field a UserError names. */
export function fieldOf(fn: () => unknown): string {
  return userError(fn).field;
}

/**
 * One error type for user mistakes: a malformed config, a bad file, an impossible parameter.
 * The CLI prints it as a single line and exits 1. Anything else that escapes is a bug and is
 * printed with its stack (exit 2).
 */
export class UserError extends Error {
  /** Dotted path of the offending field or the file name, e.g. `linear.tileIn` or `l0_qkv_weight.float32.bin`. */
  readonly field: string;
  /** Allowed values or range, shown after the message when known. */
  readonly allowed: string | undefined;

  constructor(field: string, message: string, allowed?: string) {
    super(message);
    this.name = 'UserError';
    this.field = field;
    this.allowed = allowed;
  }

  /** The one line the CLI prints. */
  oneLine(): string {
    const tail = this.allowed ? ` (allowed: ${this.allowed})` : '';
    return `${this.field}: ${this.message}${tail}`;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** Throw a UserError unless `cond` holds. */
export function require_(cond: unknown, field: string, message: string, allowed?: string): asserts cond {
  if (!cond) throw new UserError(field, message, allowed);
}

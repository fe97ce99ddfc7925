/**
 * Constraints and derived quantities as mathjs expressions over one evaluated point:
 *   - the design file's fields (`clockMHz`, `linear.tileIn`, `types.fm.W`, `approx.exp`, ...;
 *     a type is `{W, I, F, signed}`), the model (`model.dim`, ...) and the part (`part.dsp`,
 *     `part.memory.peakGBps`, ...);
 *   - the results (metrics.ts names: `latency_ms`, `energy_mj`, `dsp`, `util_dsp`, `error`, ...);
 *   - derived quantities defined earlier (`--derive "dsp_eff = gops / dsp"`).
 * Every symbol is checked when the expression is compiled, so a typo is a one-line error before
 * the search starts rather than a silent "infeasible" on every point.
 */
import type { MathNode } from 'mathjs';
import { UserError } from '../errors.js';
import { parseFixedType } from '../fixed/type.js';
import { getPath } from './space.js';

type MathJs = ReturnType<typeof import('mathjs').create>;
let math: MathJs | undefined;

/**
 * mathjs is loaded on first use only: importing it costs a few hundred ms, which every CLI
 * command and every DSE worker would otherwise pay even when no expression is given.
 */
async function loadMath(): Promise<MathJs> {
  if (!math) {
    const { create, all } = await import('mathjs');
    math = create(all);
  }
  return math;
}

type Obj = Record<string, unknown>;
export type Scope = Record<string, unknown>;

interface Compiled {
  readonly text: string;
  evaluate(scope: Scope): unknown;
}

export interface Constraint extends Compiled {
  /** For `a <= b`-style conjuncts: both sides, to measure how far a point is from feasible. */
  readonly sides?: { readonly lhs: Compiled; readonly rhs: Compiled; readonly lessThan: boolean };
}

export interface Derived extends Compiled {
  readonly name: string;
}

export interface ExpressionSet {
  readonly constraints: readonly Constraint[];
  readonly derived: readonly Derived[];
  /** Top-level names any expression reads (to know e.g. whether the accuracy is needed). */
  readonly symbols: ReadonlySet<string>;
}

/** The expression view of a design object: types become `{W, I, F, signed}`. */
export function designScope(designObj: Obj): Scope {
  const s: Scope = { ...designObj };
  const types = designObj.types as Record<string, string> | undefined;
  if (types) {
    const t: Obj = {};
    for (const [k, v] of Object.entries(types)) {
      const ft = parseFixedType(v, `types.${k}`);
      t[k] = { W: ft.W, I: ft.I, F: ft.F, signed: ft.signed };
    }
    s.types = t;
  }
  delete s.name;
  return s;
}

function parse(text: string, field: string): MathNode {
  try {
    return math!.parse(text);
  } catch (e) {
    throw new UserError(field, `syntax error in '${text}': ${(e as Error).message}`);
  }
}

function compile(node: MathNode): Compiled {
  const code = node.compile();
  return { text: node.toString(), evaluate: (scope) => code.evaluate(scope) };
}

/** Dotted path of an accessor chain `a.b.c`, or undefined when it is not a plain dotted access. */
function dottedPath(node: MathNode): string | undefined {
  const n = node as unknown as { type: string; name?: string; object?: MathNode; index?: { dimensions: MathNode[]; dotNotation?: boolean } };
  if (n.type === 'SymbolNode') return n.name;
  if (n.type === 'AccessorNode' && n.index?.dotNotation && n.object) {
    const head = dottedPath(n.object);
    const key = (n.index.dimensions[0] as unknown as { value?: unknown }).value;
    return head === undefined ? undefined : `${head}.${String(key)}`;
  }
  return undefined;
}

/** Check every symbol/dotted access against the sample scope; collect top-level names. */
function checkSymbols(node: MathNode, text: string, field: string, sample: Scope, symbols: Set<string>): void {
  const topNames = Object.keys(sample);
  node.traverse((n, path, parent) => {
    const t = n as unknown as { type: string; name: string };
    if (t.type !== 'SymbolNode' && t.type !== 'AccessorNode') return;
    // The outermost node of a dotted chain is checked as a whole; its inner parts are skipped.
    if (parent && (parent as unknown as { type: string }).type === 'AccessorNode' && path === 'object') return;
    if (t.type === 'SymbolNode' && parent && (parent as unknown as { type: string }).type === 'FunctionNode' && path === 'fn') return;
    const dotted = dottedPath(n);
    if (dotted === undefined) return;
    const head = dotted.split('.')[0]!;
    if (!(head in sample)) {
      if (t.type === 'SymbolNode' && (math as unknown as Obj)[head] !== undefined) return; // pi, e, ...
      throw new UserError(field, `unknown quantity '${head}' in '${text}'`, topNames.join(', '));
    }
    symbols.add(head);
    if (dotted !== head && getPath(sample, dotted) === undefined) {
      throw new UserError(field, `unknown quantity '${dotted}' in '${text}'`);
    }
  });
}

const LESS: Record<string, boolean> = { smaller: true, smallerEq: true, larger: false, largerEq: false };

/** Split top-level `and`s: each conjunct is reported on its own when it fails. */
function conjuncts(node: MathNode): MathNode[] {
  const n = node as unknown as { type: string; fn?: string; args?: MathNode[]; content?: MathNode };
  if (n.type === 'OperatorNode' && n.fn === 'and' && n.args) return n.args.flatMap(conjuncts);
  if (n.type === 'ParenthesisNode' && n.content) return conjuncts(n.content);
  return [node];
}

/**
 * Compile constraint texts (each may hold several `and`-ed conditions) and `name = expr` derived
 * quantities against a sample scope (names present with any values).
 */
export async function compileExpressions(
  constraintTexts: readonly string[], derivedDefs: readonly (readonly [string, string])[], sample: Scope,
): Promise<ExpressionSet> {
  const symbols = new Set<string>();
  if (constraintTexts.length === 0 && derivedDefs.length === 0) return { constraints: [], derived: [], symbols };
  await loadMath();
  const scope: Scope = { ...sample };
  const derived: Derived[] = [];
  for (const [name, text] of derivedDefs) {
    const field = `derive.${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(field, `'${name}' is not a valid name`, 'letters, digits, _');
    if (name in scope || (math as unknown as Obj)[name] !== undefined) throw new UserError(field, `'${name}' is already defined`);
    const node = parse(text, field);
    checkSymbols(node, text, field, scope, symbols);
    derived.push({ name, ...compile(node) });
    scope[name] = 0;
  }
  const constraints: Constraint[] = [];
  for (const text of constraintTexts) {
    const node = parse(text, 'constraints');
    checkSymbols(node, text, 'constraints', scope, symbols);
    for (const c of conjuncts(node)) {
      const op = c as unknown as { type: string; fn?: string; args?: MathNode[] };
      const lessThan = op.type === 'OperatorNode' && op.fn ? LESS[op.fn] : undefined;
      const base = compile(c);
      constraints.push(lessThan === undefined || !op.args || op.args.length !== 2
        ? base
        : { ...base, sides: { lhs: compile(op.args[0]!), rhs: compile(op.args[1]!), lessThan } });
    }
  }
  return { constraints, derived, symbols };
}

/**
 * Evaluate derived quantities into `scope` (in order). A derived value that is not a finite
 * number is stored as NaN.
 */
export function evaluateDerived(set: ExpressionSet, scope: Scope): void {
  for (const d of set.derived) {
    const v = d.evaluate(scope);
    scope[d.name] = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
  }
}

export interface ConstraintOutcome {
  /** Texts of the conjuncts that do not hold. */
  readonly failed: string[];
  /** Sum over failed conjuncts of their relative distance to feasibility (1 when not measurable). */
  readonly violation: number;
}

export function checkConstraints(set: ExpressionSet, scope: Scope): ConstraintOutcome {
  const failed: string[] = [];
  let violation = 0;
  for (const c of set.constraints) {
    const v = c.evaluate(scope);
    if (v === true || (typeof v === 'number' && v !== 0 && !Number.isNaN(v))) continue;
    failed.push(c.text);
    let amount = 1;
    if (c.sides) {
      const l = Number(c.sides.lhs.evaluate(scope));
      const r = Number(c.sides.rhs.evaluate(scope));
      const gap = c.sides.lessThan ? l - r : r - l;
      if (Number.isFinite(gap)) amount = Math.max(gap, 0) / Math.max(Math.abs(l), Math.abs(r), 1e-12) || 1e-9;
    }
    violation += amount;
  }
  return { failed, violation };
}

/** Run every expression once on the sample scope, so type errors surface before the search. */
export function dryRun(set: ExpressionSet, sample: Scope): void {
  const scope = { ...sample };
  for (const d of set.derived) {
    try {
      const v = d.evaluate(scope);
      scope[d.name] = v;
    } catch (e) {
      throw new UserError(`derive.${d.name}`, `cannot evaluate '${d.text}': ${(e as Error).message}`, hint(e));
    }
  }
  for (const c of set.constraints) {
    try {
      c.evaluate(scope);
    } catch (e) {
      throw new UserError('constraints', `cannot evaluate '${c.text}': ${(e as Error).message}`, hint(e));
    }
  }
}

function hint(e: unknown): string | undefined {
  return /convert/i.test((e as Error).message) ? 'compare text with equalText(approx.exp, "hw")' : undefined;
}

/**
 * An index over an ONNX graph for pattern matching: producer and consumers of every tensor,
 * Identity/Dropout removed (aliases), initialisers decoded on demand, and constant folding of
 * any subgraph that does not depend on the graph input (through the interpreter in eval.ts).
 */
import { basename } from 'node:path';
import { UserError } from '../../errors.js';
import { evalNode, UnsupportedOp } from './eval.js';
import { num, tensorValue, type Dense, type GraphProto, type NodeProto, type TensorProto } from './proto.js';

export interface InputInfo {
  readonly name: string;
  /** Static dims; undefined where the file gives a symbolic (dynamic) dim. */
  readonly dims: readonly (number | undefined)[];
}

export class OnnxGraph {
  readonly nodes: readonly NodeProto[];
  readonly input: InputInfo;
  readonly output: string;
  private readonly producer = new Map<string, NodeProto>();
  private readonly users = new Map<string, NodeProto[]>();
  private readonly inits = new Map<string, TensorProto>();
  private readonly consts = new Map<string, Dense | null>();
  private readonly alias = new Map<string, string>();
  readonly file: string;

  constructor(g: GraphProto, path: string) {
    this.file = basename(path);
    for (const t of g.initializer ?? []) this.inits.set(t.name ?? '', t);
    const nodes: NodeProto[] = [];
    for (const n of g.node ?? []) {
      const op = n.opType ?? '';
      if ((op === 'Identity' || op === 'Dropout') && n.input?.[0]) {
        this.alias.set(n.output![0]!, this.resolve(n.input[0]));
        continue;
      }
      if (n.domain && n.domain !== 'ai.onnx') {
        throw new UserError(this.where(n), `operator of domain '${n.domain}' is not supported (expected standard ONNX ops)`);
      }
      nodes.push(n);
    }
    this.nodes = nodes;
    for (const n of nodes) {
      for (const o of n.output ?? []) if (o) this.producer.set(o, n);
      for (const i of n.input ?? []) {
        if (!i) continue;
        const r = this.resolve(i);
        if (!this.users.has(r)) this.users.set(r, []);
        this.users.get(r)!.push(n);
      }
    }
    const inputs = (g.input ?? []).filter((v) => !this.inits.has(v.name ?? ''));
    if (inputs.length !== 1) {
      throw new UserError(this.file, `graph has ${inputs.length} inputs, expected exactly one image input [batch, channels, height, width]`);
    }
    const v = inputs[0]!;
    const dims = (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) > 0 ? num(d.dimValue) : undefined));
    this.input = { name: v.name ?? '', dims };
    const outs = g.output ?? [];
    if (outs.length !== 1) throw new UserError(this.file, `graph has ${outs.length} outputs, expected one (logits or features)`);
    this.output = this.resolve(outs[0]!.name ?? '');
    // Every input of every node must exist: a missing initialiser is named here, once.
    const known = new Set<string>([this.input.name, ...this.inits.keys(), ...this.producer.keys()]);
    for (const n of nodes) {
      for (const i of n.input ?? []) {
        if (i && !known.has(this.resolve(i))) throw new UserError(this.where(n), `input '${i}' is neither an initialiser, a graph input nor a node output (missing initialiser?)`);
      }
    }
  }

  resolve(name: string): string {
    let n = name;
    for (let a = this.alias.get(n); a !== undefined; a = this.alias.get(n)) n = a;
    return n;
  }

  /** The field of a UserError about `node`: file, node name and op. */
  where(node: NodeProto): string {
    return `${this.file}: node '${node.name || node.output?.[0] || '?'}' (${node.opType})`;
  }

  inputs(node: NodeProto): string[] {
    return (node.input ?? []).map((i) => (i ? this.resolve(i) : ''));
  }

  producerOf(t: string): NodeProto | undefined {
    return this.producer.get(t);
  }

  /**
   * The nodes that read the values of `t`. Shape nodes are left out: they read only its shape
   * (dynamic-batch exports compute Reshape targets from it), and evaluate() reaches them backwards.
   */
  consumers(t: string): NodeProto[] {
    return (this.users.get(t) ?? []).filter((n) => n.opType !== 'Shape');
  }

  /** `t` is computed from tensor shapes and constants only (a Reshape target, a 1/√dh from Shape). */
  private shapeDerived(t: string, depth = 0): boolean {
    const p = this.producer.get(t);
    if (!p || depth > 32) return false;
    if (p.opType === 'Shape') return true;
    if (['MatMul', 'Gemm', 'Conv', 'Softmax', 'LayerNormalization'].includes(p.opType ?? '')) return false;
    return this.inputs(p).every((i) => !i || this.constValue(i) !== undefined || this.shapeDerived(i, depth + 1));
  }

  isInitializer(t: string): boolean {
    return this.inits.has(t);
  }

  /** The value of `t` when it does not depend on the graph input (initialiser or foldable), else undefined. */
  constValue(t: string): Dense | undefined {
    if (!t) return undefined;
    const cached = this.consts.get(t);
    if (cached !== undefined) return cached ?? undefined;
    let v: Dense | undefined;
    const init = this.inits.get(t);
    if (init) v = tensorValue(init, `${this.file}: initialiser '${t}'`);
    else {
      const p = this.producer.get(t);
      if (p) {
        const ins = this.inputs(p).map((i) => (i ? this.constValue(i) : undefined));
        const foldable = this.inputs(p).every((i, k) => !i || ins[k] !== undefined);
        if (foldable) {
          const outs = this.run(p, ins);
          (p.output ?? []).forEach((o, k) => this.consts.set(o, outs[k] ?? null));
          v = outs[(p.output ?? []).indexOf(t)];
        }
      }
    }
    this.consts.set(t, v ?? null);
    return v;
  }

  /** evalNode with UnsupportedOp turned into the one-line UserError naming the node. */
  run(node: NodeProto, ins: (Dense | undefined)[], what?: string): Dense[] {
    try {
      return evalNode(node, ins);
    } catch (e) {
      if (e instanceof UnsupportedOp) throw new UserError(this.where(node), `${e.message}${what ? ` (inside the ${what})` : ''}`);
      throw e;
    }
  }

  /**
   * Evaluate `region` (nodes in graph order) with `feeds` for its non-constant inputs; returns
   * every computed tensor. An input that is neither fed, computed in the region nor constant is a
   * UserError naming the node (the region reaches outside what was expected).
   */
  evaluate(region: readonly NodeProto[], feeds: ReadonlyMap<string, Dense>, what: string): Map<string, Dense> {
    const vals = new Map(feeds);
    const compute = (n: NodeProto): void => {
      const ins = this.inputs(n).map((i) => {
        if (!i) return undefined;
        let v = vals.get(i) ?? this.constValue(i);
        if (!v && this.shapeDerived(i)) {
          compute(this.producer.get(i)!);
          v = vals.get(i);
        }
        if (!v) throw new UserError(this.where(n), `reads '${i}' from outside the ${what}`);
        return v;
      });
      const outs = this.run(n, ins, what);
      (n.output ?? []).forEach((o, k) => vals.set(o, outs[k]!));
    };
    for (const n of this.nodes) if (region.includes(n)) compute(n);
    return vals;
  }
}

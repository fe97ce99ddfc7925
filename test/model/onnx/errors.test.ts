/**
 * Bad ONNX files: every one is a one-line error naming the file (and node), exit 1, and nothing
 * written. The broken graphs are fixtures decoded, altered in one place, and re-encoded.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../../../scripts/make-onnx-fixtures.js';
import { projectRoot } from '../../../src/model/shared.js';
import { runCli } from '../../cli-capture.js';

const { onnx } = onnxProto;
const tmp = mkdtempSync(join(tmpdir(), 'vitforge-onnx-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fixture(name: string): Buffer {
  return readFileSync(join(projectRoot(), FIXTURE_DIR, `${name}.onnx`));
}

function altered(name: string, edit: (m: onnxProto.onnx.ModelProto) => void): Uint8Array {
  const m = onnx.ModelProto.decode(fixture(name));
  edit(m);
  return onnx.ModelProto.encode(m).finish();
}

/** Run `run --model` on the bytes; expect exit 1, one stderr line matching `re`, no dump. */
async function expectOneLine(file: string, bytes: Uint8Array, re: RegExp): Promise<void> {
  const path = join(tmp, file);
  writeFileSync(path, bytes);
  const dump = join(tmp, `${file}.f32`);
  const r = await runCli('run', '--model', path, '--dump', dump);
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  const lines = r.err.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^vitforge: error: /);
  expect(lines[0]).toMatch(re);
  expect(existsSync(dump)).toBe(false);
  expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
}

function node(m: onnxProto.onnx.ModelProto, pred: (n: onnxProto.onnx.INodeProto) => boolean): onnxProto.onnx.INodeProto {
  const n = m.graph!.node!.find(pred);
  if (!n) throw new Error('fixture has no such node');
  return n;
}

describe('bad ONNX files', () => {
  it('unsupported op inside the attention core: names the node and its op', async () => {
    const bytes = altered('dynamo18-token', (m) => {
      node(m, (n) => n.opType === 'Softmax').opType = 'Hardmax';
    });
    await expectOneLine('hardmax.onnx', bytes, /hardmax\.onnx: node '\/blocks\.0\/attn\/Softmax_\d+' \(Hardmax\): op Hardmax is not supported \(inside the attention core\)$/);
  });

  it('an activation that is not GELU: names the node and what was expected', async () => {
    const bytes = altered('dynamo20-cls-mean', (m) => {
      node(m, (n) => n.opType === 'Gelu').opType = 'Relu';
    });
    // Relu is outside the interpreter's op set: the node is named either way
    await expectOneLine('relu.onnx', bytes, /relu\.onnx: node '\/blocks\.0\/mlp\/act\/Gelu_\d+' \(Relu\): op Relu is not supported \(inside the GELU\)$/);
    const tanhOnly = altered('ts17-deit-token', (m) => {
      node(m, (n) => n.opType === 'Erf').opType = 'Tanh'; // x·½·(1 + tanh(x/√2)): not a GELU
    });
    await expectOneLine('notgelu.onnx', tanhOnly, /node '\/blocks\.0\/mlp\/act\/Div_\d+' \(Div\): expected GELU \(erf form, tanh form or the Gelu op\) between fc1 and fc2$/);
  });

  it('a wrong attention scale is refused, not imported as something else', async () => {
    const bytes = altered('dynamo20-cls-mean', (m) => {
      const mul = node(m, (n) => n.opType === 'Mul' && n.name!.startsWith('/blocks.0/attn'));
      const init = m.graph!.initializer!.find((t) => t.name === mul.input![1])!;
      init.rawData = new Uint8Array(Float32Array.of(0.3).buffer);
    });
    await expectOneLine('scale.onnx', bytes, /node '\/blocks\.0\/attn\/Softmax_\d+' \(Softmax\): the attention core does not compute softmax\(q·kᵀ\/√dh\)·v/);
  });

  it('truncated file', async () => {
    const b = fixture('ts17-deit-token');
    await expectOneLine('cut.onnx', b.subarray(0, Math.floor(b.length / 2)), /cut\.onnx.*(truncated|missing)/);
  });

  it('missing initialiser: names the node and the input', async () => {
    const bytes = altered('ts17-deit-token', (m) => {
      m.graph!.initializer = m.graph!.initializer!.filter((t) => t.name !== 'blocks.1.norm2.weight');
    });
    await expectOneLine('noinit.onnx', bytes, /node '\/blocks\.1\/norm2\/LayerNormalization_\d+' \(LayerNormalization\): input 'blocks\.1\.norm2\.weight' is neither an initialiser.*\(missing initialiser\?\)$/);
  });

  it('dynamic image size', async () => {
    const bytes = altered('dynamo18-nocls-mean', (m) => {
      const dim = m.graph!.input![0]!.type!.tensorType!.shape!.dim!;
      dim[2] = { dimParam: 'height' };
    });
    await expectOneLine('dyn.onnx', bytes, /dyn\.onnx: input 'input': dim 2 \(height\) is dynamic; export with a fixed image size$/);
  });

  it('not a ViT: the first unexpected node is named with what was expected', async () => {
    const bytes = altered('ts17-deit-token', (m) => {
      node(m, (n) => n.opType === 'Conv').opType = 'ConvTranspose';
    });
    await expectOneLine('notvit.onnx', bytes, /node '\/patch_embed\/proj\/Conv_\d+' \(ConvTranspose\): expected the image input to feed one Conv \(patch embedding\)$/);
  });
});

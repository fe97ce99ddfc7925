/**
 * PNG/JPEG (and anything else libvips reads) → 8-bit RGB, with `sharp`. sharp is asynchronous and
 * vitforge's input resolution is synchronous (every command resolves inputs the same way), so the
 * decode runs in a worker thread while this thread waits on a shared flag. EXIF orientation is not
 * applied, as PIL's Image.open does not apply it (timm's loader: Image.open(f).convert('RGB')).
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import type { Raw8 } from './preprocess.js';

export const PHOTO_RE = /\.(png|jpe?g|webp|tiff?)$/i;

const WORKER = `
const { workerData } = require('node:worker_threads');
const sharp = require(workerData.sharp);
const flag = new Int32Array(workerData.sab);
const done = (msg) => { workerData.port.postMessage(msg); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
sharp(workerData.path).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' })
  .toBuffer({ resolveWithObject: true })
  .then(({ data, info }) => done({ data, width: info.width, height: info.height, channels: info.channels }))
  .catch((e) => done({ error: String(e && e.message || e) }));
`;

export function decodePhoto(path: string): Raw8 {
  const sharpPath = createRequire(import.meta.url).resolve('sharp');
  const sab = new SharedArrayBuffer(4);
  const flag = new Int32Array(sab);
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(WORKER, { eval: true, workerData: { path, sab, port: port2, sharp: sharpPath }, transferList: [port2] });
  try {
    if (Atomics.wait(flag, 0, 0, 120_000) === 'timed-out') throw new UserError('image', `decoding ${path} timed out`);
    const msg = receiveMessageOnPort(port1)?.message as { error?: string; data: Uint8Array; width: number; height: number; channels: number } | undefined;
    if (!msg) throw new UserError('image', `cannot decode ${path}`);
    if (msg.error) throw new UserError('image', `cannot decode ${path}: ${msg.error.split('\n')[0]}`);
    if (msg.channels !== 3) throw new UserError('image', `${path} decodes to ${msg.channels} channels, expected RGB`);
    return { width: msg.width, height: msg.height, channels: 3, data: new Uint8Array(msg.data) };
  } finally {
    void w.terminate();
    port1.close();
  }
}

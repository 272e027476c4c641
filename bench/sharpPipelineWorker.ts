import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { JPEG_OUTPUT } from '../src/adapters/sharp/outputEncoding.ts';
import { throughputFor, type Throughput } from './measure.ts';

/**
 * The baseline of `imageUploadThroughput.ts`, forked with `--import tsx`: the image work of an
 * upload and nothing else, on the same bytes at the same parallelism. Env: IMAGE_FILE, PARALLELISM,
 * MAX_INPUT_PIXELS, INPUT_ENCODING (`base64` to decode the image from base64 text each time). Each IPC message `{ durationMs }` runs one timed round and answers its Throughput.
 */
const file = readFileSync(process.env.IMAGE_FILE ?? '');
/** `base64`: the worker starts from the base64 text, as a JSON-RPC create does, and decodes it each time. */
const base64 = process.env.INPUT_ENCODING === 'base64' ? file.toString('base64') : undefined;
const parallelism = Number(process.env.PARALLELISM);
const limitInputPixels = Number(process.env.MAX_INPUT_PIXELS);
sharp.cache(false); // as the service's processor does: each upload is seen once

async function processOnce(): Promise<string> {
  const input = base64 === undefined ? file : Buffer.from(base64, 'base64');
  const { data } = await sharp(input, { failOn: 'warning', limitInputPixels })
    .autoOrient()
    .resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true })
    .jpeg(JPEG_OUTPUT)
    .toBuffer({ resolveWithObject: true });
  return createHash('sha256').update(data).digest('hex');
}

process.on('message', (message: { durationMs: number }) => {
  throughputFor(message.durationMs, parallelism, processOnce).then(
    (result: Throughput) => process.send!(result),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
process.send!('ready');

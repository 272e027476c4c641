import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { JPEG_OUTPUT } from '../src/adapters/sharp/outputEncoding.ts';
import { throughputFor, type Throughput } from './measure.ts';

/**
 * The baseline of `imageUploadThroughput.ts`, forked with `--import tsx`: the image work of an
 * upload and nothing else, on the same bytes at the same parallelism. Env: IMAGE_FILE, PARALLELISM,
 * MAX_INPUT_PIXELS. Each IPC message `{ durationMs }` runs one timed round and answers its Throughput.
 */
const input = readFileSync(process.env.IMAGE_FILE ?? '');
const parallelism = Number(process.env.PARALLELISM);
const limitInputPixels = Number(process.env.MAX_INPUT_PIXELS);
sharp.cache(false); // as the service's processor does: each upload is seen once

async function processOnce(): Promise<string> {
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

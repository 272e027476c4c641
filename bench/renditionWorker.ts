import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { throughputFor, type Throughput } from './measure.ts';

/**
 * The baseline of `renditionFirstRequest.ts`, forked with `--import tsx`: the image work of a
 * first rendition request and nothing else, on the same bytes at the same parallelism: decode,
 * resize to 640 wide, WebP at the service's default quality, sha256 (the object store hashes what
 * it stores). Env: IMAGE_FILE, PARALLELISM. Each IPC message `{ durationMs }` runs one timed round.
 */
const file = readFileSync(process.env.IMAGE_FILE ?? '');
const parallelism = Number(process.env.PARALLELISM);
sharp.cache(false);

async function renderOnce(): Promise<string> {
  const data = await sharp(file, { failOn: 'warning', pages: 1 }).autoOrient().resize({ width: 640 }).webp({ quality: 80, effort: 4 }).toBuffer();
  return createHash('sha256').update(data).digest('hex');
}

process.on('message', (message: { durationMs: number }) => {
  throughputFor(message.durationMs, parallelism, renderOnce).then(
    (result: Throughput) => process.send!(result),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
process.send!('ready');

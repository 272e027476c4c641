import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spooledContents, spooledStream, spoolingWriter, type SpooledFile } from '../../src/http/rest/spooledFile.ts';

const test = suite<{ dir: string }>('multipart files: in memory, spooled beyond a size');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'spool-'));
});
test.after.each(async ({ dir }) => rm(dir, { recursive: true, force: true }));

const bytes = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, index) => (index * 31 + seed) % 256));

async function spool(dir: string, chunks: Buffer[], inMemoryBytes: number) {
  const file: SpooledFile = { filepath: join(dir, 'request-1', 'upload'), size: 0 };
  let spills = 0;
  await pipeline(Readable.from(chunks), spoolingWriter(inMemoryBytes, () => (spills += 1))(file));
  return { file, spills };
}

const drain = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
};

test('a file within the size stays in memory: no directory, no file', async ({ dir }) => {
  const chunks = [bytes(1000, 1), bytes(1000, 2), bytes(48, 3)];
  const { file, spills } = await spool(dir, chunks, 2048);
  assert.is(spills, 0);
  assert.equal(file.contents, Buffer.concat(chunks));
  assert.not.ok(await stat(join(dir, 'request-1')).catch(() => false), 'nothing was created on disk');
  assert.equal(await spooledContents(file), Buffer.concat(chunks));
  assert.equal(await drain(spooledStream(file)), Buffer.concat(chunks));
});

test('a file past the size goes to its path, whole and in order, and is read back from there', async ({ dir }) => {
  const chunks = [bytes(1500, 1), bytes(1500, 2), bytes(70_000, 3), bytes(10, 4)];
  const { file, spills } = await spool(dir, chunks, 2048);
  assert.is(spills, 1);
  assert.is(file.contents, undefined);
  assert.equal(await readFile(file.filepath), Buffer.concat(chunks));
  assert.equal(await spooledContents(file), Buffer.concat(chunks));
  assert.equal(await drain(spooledStream(file)), Buffer.concat(chunks));
});

test('an empty file stays in memory as no bytes', async ({ dir }) => {
  const { file } = await spool(dir, [], 2048);
  assert.equal(file.contents, Buffer.alloc(0));
});

test.run();

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openFsObjectStore } from '../../src/adapters/fs/fsObjectStore.ts';
import type { ObjectStore } from '../../src/ports/objectStore.ts';
import { collect, objectStoreContract, rejectsWith } from '../contracts/objectStoreContract.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'fs-object-store-'));
}

objectStoreContract('fs', async () => {
  const dir = await tempDir();
  const store = await openFsObjectStore({ root: join(dir, 'media') });
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

interface Context {
  dir: string;
  root: string;
  store: ObjectStore;
}

const test = suite<Context>('fs object store', {} as Context);

test.before.each(async (context) => {
  context.dir = await tempDir();
  context.root = join(context.dir, 'media');
  context.store = await openFsObjectStore({ root: context.root });
});

test.after.each(async ({ store, dir }) => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const BYTES = Buffer.from('0123456789abcdefghij');
const tempFiles = (root: string) => readdir(join(root, 'tmp'));

/** Yields `chunks` chunks of 64 KiB, then fails. */
function failingStream(chunks: number): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < chunks; i++) yield Buffer.alloc(64 * 1024, i);
      throw new Error('client went away');
    })(),
  );
}

test('a stream that errors midway rejects with its own error and leaves no temp file', async ({ store, root }) => {
  const error = await store
    .put({ key: 'p/video.mp4', body: failingStream(8), size: 10 * 64 * 1024, contentType: 'video/mp4' })
    .then(() => undefined, (e: unknown) => e);
  assert.instance(error, Error);
  assert.is((error as Error).message, 'client went away');
  assert.equal(await tempFiles(root), []);
  assert.is(await store.stat('p/video.mp4'), null);
});

test('a size or sha256 mismatch leaves no temp file', async ({ store, root }) => {
  const body = () => Readable.from([BYTES, BYTES]);
  for (const size of [39, 41]) {
    const input = { key: 'p/a', body: body(), size, contentType: 'image/jpeg' };
    await rejectsWith(() => store.put(input), 'OBJECT_SIZE_MISMATCH');
  }
  await rejectsWith(
    () => store.put({ key: 'p/a', body: body(), size: 40, contentType: 'image/jpeg', sha256: '0'.repeat(64) }),
    'OBJECT_SHA256_MISMATCH',
  );
  assert.equal(await tempFiles(root), []);
  assert.equal(await readdir(join(root, 'objects')), []);
});

test('a successful put leaves no temp file and survives a reopen', async ({ store, root }) => {
  const info = await store.put({ key: 'p/a.jpg', body: BYTES, contentType: 'image/jpeg' });
  assert.equal(await tempFiles(root), []);
  await store.close();
  const reopened = await openFsObjectStore({ root });
  assert.equal(await reopened.stat('p/a.jpg'), info);
  assert.equal(await readAll((await reopened.get('p/a.jpg')).body), BYTES);
  await reopened.close();
});

test('open removes temp files left by a crash', async ({ store, root }) => {
  await store.close();
  await writeFile(join(root, 'tmp', 'a3c0.tmp'), 'half a video');
  await mkdir(join(root, 'tmp', 'stray-dir'));
  const reopened = await openFsObjectStore({ root });
  assert.equal(await tempFiles(root), []);
  await reopened.close();
});

test('the clock option sets lastModified', async ({ dir }) => {
  const clock = () => new Date('2024-05-25T10:00:00.000Z');
  const store = await openFsObjectStore({ root: join(dir, 'clocked'), clock });
  const info = await store.put({ key: 'a', body: BYTES, contentType: 'image/jpeg' });
  assert.is(info.lastModified, '2024-05-25T10:00:00.000Z');
  await store.close();
});

test('a get under way keeps streaming the old object while an overwrite lands', async ({ store }) => {
  const old = Buffer.alloc(4 * 1024 * 1024, 1);
  await store.put({ key: 'p/a', body: old, contentType: 'video/mp4' });
  const { body, info } = await store.get('p/a');
  await store.put({ key: 'p/a', body: Buffer.alloc(10, 2), contentType: 'video/mp4' });
  assert.is(info.size, old.length);
  assert.equal(await readAll(body), old);
  assert.is((await store.stat('p/a'))?.size, 10);
});

test('a symlinked directory inside the root is never followed', async ({ store, root, dir }) => {
  const outside = join(dir, 'outside');
  await mkdir(outside);
  // A well-formed object file for `evil/a`, which would be served if the link were followed.
  const elsewhere = await openFsObjectStore({ root: join(dir, 'elsewhere') });
  await elsewhere.put({ key: 'evil/a', body: BYTES, contentType: 'image/jpeg' });
  await elsewhere.close();
  await writeFile(join(outside, 'a~'), await readFile(join(dir, 'elsewhere', 'objects', 'evil', 'a~')));
  await symlink(outside, join(root, 'objects', 'evil'));
  await store.put({ key: 'real/a', body: BYTES, contentType: 'image/jpeg' });

  await rejectsWith(() => store.get('evil/a'), 'OBJECT_PATH_UNSAFE', { status: 500 });
  await rejectsWith(() => store.stat('evil/a'), 'OBJECT_PATH_UNSAFE');
  await rejectsWith(() => store.delete('evil/a'), 'OBJECT_PATH_UNSAFE');
  await rejectsWith(() => store.put({ key: 'evil/b', body: BYTES, contentType: 'image/jpeg' }), 'OBJECT_PATH_UNSAFE');
  await rejectsWith(() => store.put({ key: 'evil/d/c', body: BYTES, contentType: 'image/jpeg' }), 'OBJECT_PATH_UNSAFE');
  await rejectsWith(() => collect(store.list('evil/')), 'OBJECT_PATH_UNSAFE');
  assert.equal((await collect(store.list(''))).map((info) => info.key), ['real/a']);
  assert.equal(await readdir(outside), ['a~']);
  assert.equal(await tempFiles(root), []);
});

test('a symlinked object file is neither read through nor written through', async ({ store, root, dir }) => {
  const target = join(dir, 'target~');
  await store.put({ key: 'p/a', body: BYTES, contentType: 'image/jpeg' });
  await store.put({ key: 'p/link', body: BYTES, contentType: 'image/jpeg' });
  await writeFile(target, await readFile(join(root, 'objects', 'p', 'link~')));
  await rm(join(root, 'objects', 'p', 'link~'));
  await symlink(target, join(root, 'objects', 'p', 'link~'));

  await rejectsWith(() => store.get('p/link'), 'OBJECT_PATH_UNSAFE');
  assert.equal((await collect(store.list('p/'))).map((info) => info.key), ['p/a']);
  // put replaces the link itself (rename does not follow it); the target is untouched.
  await store.put({ key: 'p/link', body: Buffer.from('new'), contentType: 'image/jpeg' });
  assert.equal(await readAll((await store.get('p/link')).body), Buffer.from('new'));
  assert.is((await readFile(target)).subarray(0, 20).toString(), BYTES.toString());
  await store.delete('p/link');
  assert.ok((await readFile(target)).length > 0);
});

test('a damaged object file is reported as OBJECT_CORRUPT, never served', async ({ store, root }) => {
  await store.put({ key: 'p/a', body: BYTES, contentType: 'image/jpeg' });
  await truncate(join(root, 'objects', 'p', 'a~'), 25);
  await rejectsWith(() => store.get('p/a'), 'OBJECT_CORRUPT', { status: 500 });
  await rejectsWith(() => store.stat('p/a'), 'OBJECT_CORRUPT');
});

test('objects below and above the one-read size read back whole, and damage is caught on both paths', async ({ store, root }) => {
  // 2 MiB is the largest file read in one read; anything larger streams.
  const small = Buffer.alloc(2 * 1024 * 1024 - 200, 3);
  const large = Buffer.alloc(2 * 1024 * 1024 + 1, 4);
  await store.put({ key: 'p/small', body: small, contentType: 'video/mp4' });
  await store.put({ key: 'p/large', body: large, contentType: 'video/mp4' });
  for (const [key, bytes] of [['p/small', small], ['p/large', large]] as const) {
    const { info, body } = await store.get(key);
    assert.is(info.size, bytes.length);
    assert.equal(await readAll(body), bytes);
  }
  for (const key of ['small', 'large']) {
    const file = join(root, 'objects', 'p', `${key}~`);
    const content = await readFile(file);
    content.writeUInt8(content.readUInt8(content.length - 1) ^ 0xff, content.length - 1); // the footer's magic
    await writeFile(file, content);
    await rejectsWith(() => store.get(`p/${key}`), 'OBJECT_CORRUPT', { status: 500 });
  }
});

test('a FIFO planted as an object file is refused at once, not waited on', async ({ store, root }) => {
  await store.put({ key: 'p/a', body: BYTES, contentType: 'image/jpeg' });
  await rm(join(root, 'objects', 'p', 'a~'));
  execFileSync('mkfifo', [join(root, 'objects', 'p', 'a~')]);
  await rejectsWith(() => store.get('p/a'), 'OBJECT_CORRUPT');
  await rejectsWith(() => store.stat('p/a'), 'OBJECT_CORRUPT');
});

test('puts racing to create the same new directories all land', async ({ store }) => {
  const keys = Array.from({ length: 20 }, (_, index) => `deep/a/b/c/${index % 2}/object-${index}`);
  await Promise.all(keys.map((key) => store.put({ key, body: BYTES, contentType: 'image/jpeg' })));
  assert.equal((await collect(store.list('deep/'))).map((info) => info.key).sort(), [...keys].sort());
});

test('calls after close are refused', async ({ store }) => {
  await store.close();
  await rejectsWith(() => store.stat('p/a'), 'UNAVAILABLE', { status: 503 });
});

test('a 24 MB stream put does not raise memory by anything like its size', async ({ store }) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const memory = () => {
    gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const chunkSize = 64 * 1024;
  const chunks = 384; // 24 MiB
  const hash = createHash('sha256');
  const baseline = memory();
  let peak = 0;
  const body = Readable.from(
    (function* () {
      for (let i = 0; i < chunks; i++) {
        if (i % 32 === 0) peak = Math.max(peak, memory() - baseline);
        const chunk = Buffer.alloc(chunkSize, i % 251);
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  const info = await store.put({ key: 'p/big.mp4', body, size: chunkSize * chunks, contentType: 'video/mp4' });
  assert.is(info.size, chunkSize * chunks);
  assert.is(info.sha256, hash.digest('hex'));
  assert.ok(peak < 6 * 1024 * 1024, `memory grew by ${peak} bytes while streaming 24 MiB`);
});

test.run();

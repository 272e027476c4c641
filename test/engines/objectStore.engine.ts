/**
 * The object store contract, and what only a real S3 server can show, against the server named by
 * the environment (the composition root's `MINIO_*` settings):
 *
 *   MINIO_ENDPOINT=http://127.0.0.1:9000 MINIO_ACCESS_KEY=… MINIO_SECRET_KEY=… \
 *   MINIO_BUCKET=pmc-engine-tests MINIO_REGION=us-east-1 npm run test:engines
 *
 * (`npx tsx test/engines/objectStore.engine.ts` runs it alone.) Give it a bucket of its own
 * (default `pmc-engine-tests`, created when missing): the contract lists the whole bucket. Every
 * object a test writes is deleted after it. Without `MINIO_ENDPOINT` nothing is registered and the
 * file says so (`skipFile`): a skip, never a pass.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { Client, type BucketItem } from 'minio';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  openS3ObjectStore,
  type S3ObjectStore,
  type S3ObjectStoreOptions,
} from '../../src/adapters/s3/s3ObjectStore.ts';
import { isValidObjectKey } from '../../src/ports/objectStore.ts';
import { objectStoreContract, rejectsWith } from '../contracts/objectStoreContract.ts';
import { skipFile } from '../support/skipFile.ts';

const env = process.env;
const MiB = 1024 * 1024;

if (env.MINIO_ENDPOINT === undefined || env.MINIO_ENDPOINT.trim() === '') {
  skipFile('S3 engine', 'MINIO_ENDPOINT not set (object store engine tests need a real S3 server)');
} else {
  const accessKey = env.MINIO_ACCESS_KEY;
  const secretKey = env.MINIO_SECRET_KEY;
  if (!accessKey || !secretKey) {
    throw new Error('MINIO_ACCESS_KEY and MINIO_SECRET_KEY are required when MINIO_ENDPOINT is set');
  }
  registerSuites({
    endpoint: env.MINIO_ENDPOINT.trim(),
    accessKey,
    secretKey,
    bucket: env.MINIO_BUCKET || 'pmc-engine-tests',
    region: env.MINIO_REGION || 'us-east-1',
  });
}

function registerSuites(base: S3ObjectStoreOptions): void {
  const written = new Set<string>();
  /** The store, remembering every valid key put through it so that the cleanup can delete it. */
  const recording = (store: S3ObjectStore): S3ObjectStore => ({
    ...store,
    put: (input) => {
      if (isValidObjectKey(input.key)) written.add(input.key);
      return store.put(input);
    },
  });
  // Runs in after-each hooks, where uvu would hide a failure (and the test's): report, never throw.
  const cleanup = async () => {
    try {
      const janitor = await openS3ObjectStore(base);
      for (const key of written) await janitor.delete(key);
      await janitor.close();
    } catch (error) {
      console.error(`engine test cleanup failed, objects may remain in ${base.bucket}:`, error);
    } finally {
      written.clear();
    }
  };
  const open = async (more: Partial<S3ObjectStoreOptions> = {}) =>
    recording(await openS3ObjectStore({ ...base, ...more }));
  const url = new URL(base.endpoint);
  const raw = new Client({
    endPoint: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    useSSL: url.protocol === 'https:',
    accessKey: base.accessKey,
    secretKey: base.secretKey,
    region: base.region,
  });
  const stagedKeys = async () => {
    const keys = new Set<string>();
    const listing = raw.listObjectsV2(base.bucket, '.staging/', true) as unknown as AsyncIterable<BucketItem>;
    for await (const item of listing) if (item.name !== undefined) keys.add(item.name);
    return keys;
  };

  objectStoreContract(`s3 (${url.host})`, async () => ({ store: await open(), cleanup }));

  const test = suite<{ store: S3ObjectStore; prefix: string }>('s3 object store on a real server', {} as never);
  test.before.each(async (context) => {
    context.store = await open({ multipartThreshold: 5 * MiB, partSize: 5 * MiB });
    context.prefix = `engine/${randomUUID()}/`;
  });
  test.after.each(async ({ store }) => {
    await store?.close(); // never throws: uvu drops a test's failure when an after-each hook throws
    await cleanup();
  });

  const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const bytesOf = (size: number) => {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 7) % 251;
    return bytes;
  };
  const stream = (key: string, bytes: Buffer, contentType = 'video/mp4') => {
    const chunks = [];
    for (let at = 0; at < bytes.length; at += MiB) chunks.push(bytes.subarray(at, at + MiB));
    return { key, body: Readable.from(chunks), size: bytes.length, contentType };
  };

  test('a stream over multipartThreshold is uploaded and copied in parts', async ({ store, prefix }) => {
    const bytes = bytesOf(12 * MiB);
    const info = await store.put(stream(`${prefix}big.mp4`, bytes));
    assert.is(info.sha256, sha256Of(bytes));
    assert.equal(await store.stat(info.key), info);
    assert.equal(await readAll((await store.get(info.key)).body), bytes);
    const across = { start: 5 * MiB - 3, end: 5 * MiB + 3 }; // the first part boundary
    assert.equal(await readAll((await store.get(info.key, across)).body), bytes.subarray(across.start, across.end + 1));
  });

  test('a multipart put with a wrong sha256 stores nothing', async ({ store, prefix }) => {
    const before = await stagedKeys();
    const input = stream(`${prefix}bad.mp4`, bytesOf(6 * MiB));
    await rejectsWith(() => store.put({ ...input, sha256: '0'.repeat(64) }), 'OBJECT_SHA256_MISMATCH');
    assert.is(await store.stat(input.key), null);
    assert.equal([...(await stagedKeys())].filter((key) => !before.has(key)), []);
  });

  test('a single PUT refused for its sha256 never completes: the server keeps nothing', async ({ store, prefix }) => {
    const before = await stagedKeys();
    const input = stream(`${prefix}bad.jpg`, bytesOf(3 * MiB), 'image/jpeg');
    await rejectsWith(() => store.put({ ...input, sha256: '0'.repeat(64) }), 'OBJECT_SHA256_MISMATCH');
    assert.equal([...(await stagedKeys())].filter((key) => !before.has(key)), []);
  });

  test('a get under way keeps streaming the old object while an overwrite lands', async ({ store, prefix }) => {
    const old = bytesOf(4 * MiB);
    await store.put({ key: `${prefix}a`, body: old, contentType: 'video/mp4' });
    const { body, info } = await store.get(`${prefix}a`);
    await store.put(stream(`${prefix}a`, Buffer.alloc(10, 2)));
    assert.is(info.size, old.length);
    assert.equal(await readAll(body), old);
    assert.is((await store.stat(`${prefix}a`))?.size, 10);
  });

  test('a presigned GET URL is accepted by the server', async ({ store, prefix }) => {
    const bytes = bytesOf(100);
    await store.put({ key: `${prefix}a.jpg`, body: bytes, contentType: 'image/jpeg' });
    const response = await fetch(await store.presignedGetUrl(`${prefix}a.jpg`, 60));
    assert.is(response.status, 200);
    assert.equal(Buffer.from(await response.arrayBuffer()), bytes);
  });

  test('a wrong secret key is refused as OBJECT_STORE_ACCESS_DENIED', async () => {
    const open = () => openS3ObjectStore({ ...base, secretKey: `${base.secretKey}x` });
    const error = await rejectsWith(open, 'OBJECT_STORE_ACCESS_DENIED', { status: 500 });
    assert.is(error.expose, false);
  });

  test.run();
}

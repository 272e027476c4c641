import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ObjectInfo, ObjectStore, PutObjectInput } from '../../src/ports/objectStore.ts';
import { rejectsWith } from '../support/rejectsWith.ts';

/** What an adapter's test file hands the contract: a fresh, empty store and how to dispose of it. */
export type OpenObjectStore = () => Promise<{ store: ObjectStore; cleanup: () => Promise<void> }>;

interface Context {
  store: ObjectStore;
  cleanup: () => Promise<void>;
  /** A key prefix no other test uses, so adapters may share one bucket between tests. */
  base: string;
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const BYTES = Buffer.from('0123456789abcdefghij'); // 20 bytes, each one tells its offset

/** A put input: `BYTES` as `image/jpeg` unless told otherwise. */
const jpeg = (key: string, more: Partial<PutObjectInput> = {}): PutObjectInput => ({
  key,
  body: BYTES,
  contentType: 'image/jpeg',
  ...more,
});

export { rejectsWith };

export async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const items: ObjectInfo[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/**
 * The behaviour every `ObjectStore` adapter must have. Runs one uvu suite; each test gets a store
 * from `open`, then the suite calls `store.close()` and `cleanup()`.
 */
export function objectStoreContract(adapterName: string, open: OpenObjectStore): void {
  const test = suite<Context>(`ObjectStore contract: ${adapterName}`, {} as Context);

  test.before.each(async (context) => {
    const { store, cleanup } = await open();
    context.store = store;
    context.cleanup = cleanup;
    context.base = `contract/${randomUUID()}/`;
  });

  // Guarded: uvu drops a failure thrown from an after-hook and exits 0, so a failed open()
  // must not turn into a silent stop here.
  test.after.each(async ({ store, cleanup }) => {
    await store?.close();
    await cleanup?.();
  });

  test('put(bytes) returns size, content type, sha256 and an ISO lastModified', async ({ store, base }) => {
    const before = Date.now();
    const info = await store.put(jpeg(`${base}a.jpg`));
    assert.equal(
      { key: info.key, size: info.size, contentType: info.contentType, sha256: info.sha256 },
      { key: `${base}a.jpg`, size: 20, contentType: 'image/jpeg', sha256: sha256Of(BYTES) },
    );
    assert.match(info.lastModified, ISO_8601);
    const at = Date.parse(info.lastModified);
    assert.ok(at >= before - 1000 && at <= Date.now() + 1000, 'lastModified is the time of the put');
    assert.equal(await store.stat(info.key), info);
  });

  test('put(stream, size) stores the streamed bytes', async ({ store, base }) => {
    const chunks = [BYTES.subarray(0, 7), BYTES.subarray(7, 8), BYTES.subarray(8)];
    const stream = { body: Readable.from(chunks), size: 20, contentType: 'video/mp4' };
    const info = await store.put(jpeg(`${base}v.mp4`, stream));
    assert.is(info.size, 20);
    assert.is(info.sha256, sha256Of(BYTES));
    const { body, info: got } = await store.get(info.key);
    assert.equal(await readAll(body), BYTES);
    assert.equal(got, info);
  });

  test('a cache put (a rendition) stores the object whole like any other', async ({ store, base }) => {
    const info = await store.put({ ...jpeg(`${base}cached.webp`), durability: 'cache' });
    assert.equal([info.size, info.sha256], [BYTES.length, sha256Of(BYTES)]);
    assert.equal(await readAll((await store.get(info.key)).body), BYTES);
    assert.equal(await store.stat(info.key), info);
  });

  test('put accepts a matching sha256 in any case and an empty body', async ({ store, base }) => {
    const info = await store.put(jpeg(`${base}a`, { sha256: sha256Of(BYTES).toUpperCase() }));
    assert.is(info.sha256, sha256Of(BYTES));
    const empty = await store.put({ key: `${base}empty`, body: Buffer.alloc(0), contentType: 'text/plain' });
    assert.equal([empty.size, empty.sha256], [0, sha256Of(Buffer.alloc(0))]);
    assert.equal(await readAll((await store.get(empty.key)).body), Buffer.alloc(0));
  });

  test('put(stream) without a size is refused', async ({ store, base }) => {
    await rejectsWith(() => store.put(jpeg(`${base}a`, { body: Readable.from([BYTES]) })), 'INVALID_OBJECT_SIZE', {
      status: 400,
      details: { size: ['Required for a stream body.'] },
    });
    assert.is(await store.stat(`${base}a`), null);
  });

  test('get returns the whole object with its info and no range', async ({ store, base }) => {
    const info = await store.put(jpeg(`${base}a`));
    const result = await store.get(info.key);
    assert.equal(result.info, info);
    assert.is(result.range, undefined);
    assert.equal(await readAll(result.body), BYTES);
  });

  test('get(range) serves the first byte, a middle slice and the last byte', async ({ store, base }) => {
    const key = `${base}a`;
    await store.put(jpeg(key));
    for (const [start, end] of [[0, 0], [5, 9], [19, 19], [0, 19]] as const) {
      const result = await store.get(key, { start, end });
      assert.equal(result.range, { start, end });
      assert.equal(await readAll(result.body), BYTES.subarray(start, end + 1), `bytes ${start}-${end}`);
      assert.is(result.info.size, 20);
    }
  });

  test('get(range) clamps an end past the last byte', async ({ store, base }) => {
    const key = `${base}a`;
    await store.put(jpeg(key));
    const result = await store.get(key, { start: 18, end: 1000 });
    assert.equal(result.range, { start: 18, end: 19 });
    assert.equal(await readAll(result.body), BYTES.subarray(18));
  });

  test('get(range) starting at or past the size is refused with 416', async ({ store, base }) => {
    await store.put(jpeg(`${base}a`));
    await store.put({ key: `${base}empty`, body: Buffer.alloc(0), contentType: 'image/jpeg' });
    const error = await rejectsWith(() => store.get(`${base}a`, { start: 20, end: 25 }), 'RANGE_NOT_SATISFIABLE', {
      status: 416,
    });
    assert.is(error.message, 'Range 20-25 is not satisfiable for an object of 20 bytes.');
    await rejectsWith(() => store.get(`${base}empty`, { start: 0, end: 0 }), 'RANGE_NOT_SATISFIABLE', { status: 416 });
  });

  test('get(range) with a malformed range is refused with INVALID_RANGE', async ({ store, base }) => {
    const key = `${base}a`;
    await store.put(jpeg(key));
    const malformed = [
      { start: 5, end: 4 },
      { start: -1, end: 3 },
      { start: 0.5, end: 3 },
      { start: 0, end: Number.NaN },
    ];
    for (const range of malformed) {
      await rejectsWith(() => store.get(key, range), 'INVALID_RANGE', {
        status: 400,
        details: { range: ['Must be integers with 0 <= start <= end.'] },
      });
    }
  });

  test('stat of a missing key is null and get of it throws OBJECT_NOT_FOUND', async ({ store, base }) => {
    assert.is(await store.stat(`${base}missing`), null);
    const error = await rejectsWith(() => store.get(`${base}missing`), 'OBJECT_NOT_FOUND', { status: 404 });
    assert.is(error.message, `Object ${base}missing does not exist.`);
    await rejectsWith(() => store.get(`${base}missing`, { start: 0, end: 0 }), 'OBJECT_NOT_FOUND');
  });

  test('put over an existing key replaces its content and info', async ({ store, base }) => {
    const key = `${base}a`;
    await store.put(jpeg(key));
    const replacement = Buffer.from('new');
    const info = await store.put({ key, body: replacement, contentType: 'image/png' });
    assert.equal(await store.stat(key), info);
    assert.equal([info.size, info.contentType, info.sha256], [3, 'image/png', sha256Of(replacement)]);
    assert.equal(await readAll((await store.get(key)).body), replacement);
  });

  test('delete removes the object and is idempotent', async ({ store, base }) => {
    const key = `${base}a/b.jpg`;
    await store.put(jpeg(key));
    await store.delete(key);
    assert.is(await store.stat(key), null);
    await rejectsWith(() => store.get(key), 'OBJECT_NOT_FOUND');
    assert.equal(await collect(store.list(base)), []);
    await store.delete(key);
    await store.delete(`${base}never/was`);
  });

  test('list yields every object under a prefix in key order and nothing else', async ({ store, base }) => {
    // Chosen so that a per-directory walk would get the order wrong: "-" < "." < "/" < "B" < "a".
    const keys = ['a', 'a/b', 'a/b/c', 'a-c', 'a.d', 'ab', 'B', 'x/y'].map((k) => `${base}${k}`);
    for (const key of [...keys].reverse()) await store.put(jpeg(key, { body: Buffer.from(key) }));
    const other = `contract/${randomUUID()}/`;
    await store.put({ key: `${other}a`, body: BYTES, contentType: 'text/plain' });
    await store.put({ key: `${base.slice(0, -1)}-sibling/a`, body: BYTES, contentType: 'text/plain' });

    const all = await collect(store.list(base));
    assert.equal(all.map((info) => info.key), [...keys].sort());
    for (const info of all) assert.equal(info, await store.stat(info.key));
    const listed = async (prefix: string) => (await collect(store.list(prefix))).map((i) => i.key.slice(base.length));
    assert.equal(await listed(`${base}a`), ['a', 'a-c', 'a.d', 'a/b', 'a/b/c', 'ab']);
    assert.equal(await listed(`${base}a/`), ['a/b', 'a/b/c']);
    assert.equal(await collect(store.list(`${base}zzz`)), []);
    assert.equal(await collect(store.list(`${base}nothing/here/`)), []);
  });

  test('list("") yields every object of the store in key order', async ({ store, base }) => {
    await store.put({ key: `${base}one`, body: BYTES, contentType: 'text/plain' });
    const everything = (await collect(store.list(''))).map((info) => info.key);
    assert.ok(everything.includes(`${base}one`));
    assert.equal(everything, [...everything].sort());
  });

  test('a wrong sha256 stores nothing and keeps the previous object', async ({ store, base }) => {
    const wrong = sha256Of(Buffer.from('something else'));
    const error = await rejectsWith(() => store.put(jpeg(`${base}new`, { sha256: wrong })), 'OBJECT_SHA256_MISMATCH', {
      status: 400,
    });
    assert.is(error.message, `Body hashes to ${sha256Of(BYTES)}, expected ${wrong}.`);
    assert.is(await store.stat(`${base}new`), null);

    const old = await store.put({ key: `${base}old`, body: BYTES, contentType: 'image/jpeg' });
    const replacement = { body: Readable.from([Buffer.from('x')]), size: 1, sha256: wrong };
    await rejectsWith(() => store.put(jpeg(old.key, replacement)), 'OBJECT_SHA256_MISMATCH');
    assert.equal(await store.stat(old.key), old);
    assert.equal(await readAll((await store.get(old.key)).body), BYTES);
  });

  test('a body shorter or longer than its size stores nothing', async ({ store, base }) => {
    const key = `${base}a`;
    const short = { body: Readable.from([BYTES]), size: 21 };
    let error = await rejectsWith(() => store.put(jpeg(key, short)), 'OBJECT_SIZE_MISMATCH', { status: 400 });
    assert.is(error.message, 'Body has 20 bytes, expected 21.');
    const long = { body: Readable.from([BYTES, BYTES]), size: 30 };
    error = await rejectsWith(() => store.put(jpeg(key, long)), 'OBJECT_SIZE_MISMATCH');
    assert.is(error.message, 'Body has more than 30 bytes, expected 30.');
    await rejectsWith(() => store.put(jpeg(key, { size: 19 })), 'OBJECT_SIZE_MISMATCH');
    assert.is(await store.stat(key), null);
    assert.equal(await collect(store.list(base)), []);
  });

  test('invalid keys are refused with INVALID_OBJECT_KEY by every method', async ({ store }) => {
    const cases: Array<[string, string]> = [
      ['../x', 'Must not contain "." or ".." segments.'],
      ['a/../b', 'Must not contain "." or ".." segments.'],
      ['a/./b', 'Must not contain "." or ".." segments.'],
      ['/abs', 'Must be relative (no leading "/").'],
      ['a//b', 'Must not contain empty segments.'],
      ['a/', 'Must not contain empty segments.'],
      ['', 'Must not be empty.'],
      ['a/.hidden', 'Segments must not start with ".".'],
      ['a\\b', 'Segments may only contain A-Z, a-z, 0-9, ".", "_" and "-".'],
      ['a\0b', 'Segments may only contain A-Z, a-z, 0-9, ".", "_" and "-".'],
      ['a b', 'Segments may only contain A-Z, a-z, 0-9, ".", "_" and "-".'],
      ['a'.repeat(201), 'Segments must be at most 200 characters.'],
      [`${'a/'.repeat(512)}a`, 'Must be at most 1024 characters.'],
    ];
    for (const [key, reason] of cases) {
      const expected = { status: 400, details: { key: [reason] } };
      await rejectsWith(() => store.put(jpeg(key)), 'INVALID_OBJECT_KEY', expected);
      await rejectsWith(() => store.get(key), 'INVALID_OBJECT_KEY', expected);
      await rejectsWith(() => store.stat(key), 'INVALID_OBJECT_KEY', expected);
      await rejectsWith(() => store.delete(key), 'INVALID_OBJECT_KEY', expected);
    }
    for (const prefix of ['../', '/abs', 'a//', 'a/./']) {
      await rejectsWith(() => collect(store.list(prefix)), 'INVALID_OBJECT_PREFIX', { status: 400 });
    }
  });

  test('put validates content type and sha256 before reading the body', async ({ store, base }) => {
    const key = `${base}a`;
    const failing = Readable.from((async function* () { throw new Error('the body must not be read'); })());
    await rejectsWith(() => store.put(jpeg(key, { body: failing, size: 1, contentType: '' })), 'INVALID_CONTENT_TYPE', {
      status: 400,
    });
    await rejectsWith(() => store.put(jpeg(key, { sha256: 'abc' })), 'INVALID_SHA256', { status: 400 });
    await rejectsWith(() => store.put(jpeg(key, { size: -1 })), 'INVALID_OBJECT_SIZE', { status: 400 });
    assert.is(await store.stat(key), null);
  });

  test.run();
}

import { createHash, randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, type BucketItem } from 'minio';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  openS3ObjectStore,
  type S3ObjectStore,
  type S3ObjectStoreOptions,
} from '../../src/adapters/s3/s3ObjectStore.ts';
import { collect, objectStoreContract, rejectsWith } from '../contracts/objectStoreContract.ts';
import { startS3rver, type S3rverFixture } from '../support/s3rverFixture.ts';

// One s3rver for the whole file, started on first use and stopped by the last suite.
let fixture: Promise<S3rverFixture> | undefined;
const server = () => (fixture ??= startS3rver());
const RUN = randomUUID().slice(0, 8);
const CONTRACT_BUCKET = `contract-${RUN}`;
const freshBucket = () => `test-${RUN}-${randomUUID().slice(0, 8)}`;

async function options(more: Partial<S3ObjectStoreOptions> = {}): Promise<S3ObjectStoreOptions> {
  const { endpoint, accessKey, secretKey, region } = await server();
  return { endpoint, accessKey, secretKey, region, bucket: CONTRACT_BUCKET, ...more };
}

/** A plain minio client on the same server, to look behind the adapter. */
async function rawClient(): Promise<Client> {
  const { endpoint, accessKey, secretKey, region } = await server();
  const url = new URL(endpoint);
  return new Client({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey, secretKey, region });
}

async function rawKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  const listing = (await rawClient()).listObjectsV2(bucket, prefix, true) as unknown as AsyncIterable<BucketItem>;
  for await (const item of listing) if (item.name !== undefined) keys.push(item.name);
  return keys;
}

// The contract's tests share one bucket: each test works under its own random prefix.
objectStoreContract('s3 (s3rver)', async () => {
  const store = await openS3ObjectStore(await options());
  return { store, cleanup: async () => undefined };
});

interface Context {
  store: S3ObjectStore;
  bucket: string;
}

const test = suite<Context>('s3 object store', {} as Context);

test.before.each(async (context) => {
  context.bucket = freshBucket();
  context.store = await openS3ObjectStore(await options({ bucket: context.bucket }));
});

// Never throws: uvu drops a test's failure when an after-each hook throws. close() is idempotent.
test.after.each(async ({ store }) => {
  await store?.close();
});

const BYTES = Buffer.from('0123456789abcdefghij');
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Yields `chunks` chunks of 64 KiB, then fails. */
function failingStream(chunks: number): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < chunks; i++) yield Buffer.alloc(64 * 1024, i);
      throw new Error('client went away');
    })(),
  );
}

test('open creates a missing bucket, also when several instances race to create it', async ({ bucket }) => {
  const client = await rawClient();
  assert.ok(await client.bucketExists(bucket));
  const racing = freshBucket();
  const stores = await Promise.all([1, 2, 3].map(async () => openS3ObjectStore(await options({ bucket: racing }))));
  assert.ok(await client.bucketExists(racing));
  await Promise.all(stores.map((store) => store.close()));
});

test('sha256 and the put time are stored as user metadata on the object', async ({ store, bucket }) => {
  const info = await store.put({ key: 'p/a.jpg', body: BYTES, contentType: 'image/jpeg' });
  const stream = { key: 'p/b.mp4', body: Readable.from([BYTES]), size: 20, contentType: 'video/mp4' };
  const streamed = await store.put(stream);
  for (const expected of [info, streamed]) {
    const stat = await (await rawClient()).statObject(bucket, expected.key);
    assert.is(stat.metaData['content-type'], expected.contentType);
    assert.is(stat.metaData['sha256'], sha256Of(BYTES));
    assert.is(stat.metaData['stored-at'], expected.lastModified);
  }
});

test('a successful streamed put leaves no staged object behind', async ({ store, bucket }) => {
  await store.put({ key: 'p/ok', body: Readable.from([BYTES]), size: 20, contentType: 'image/jpeg' });
  assert.equal(await rawKeys(bucket, ''), ['p/ok']);
});

test('an empty stream is stored as an empty object', async ({ store }) => {
  const info = await store.put({ key: 'p/empty', body: Readable.from([]), size: 0, contentType: 'text/plain' });
  assert.equal([info.size, info.sha256], [0, sha256Of(Buffer.alloc(0))]);
  assert.equal(await readAll((await store.get('p/empty')).body), Buffer.alloc(0));
});

test('a stream that yields strings is refused with INVALID_OBJECT_BODY and stores nothing', async ({ store }) => {
  const input = { key: 'p/text', body: Readable.from(['not bytes']), size: 9, contentType: 'text/plain' };
  await rejectsWith(() => store.put(input), 'INVALID_OBJECT_BODY', {
    status: 400,
    details: { body: ['Streams must yield bytes (Buffer or Uint8Array).'] },
  });
  assert.is(await store.stat('p/text'), null);
});

test('a failed streamed put stores nothing; what the server kept of it is swept', async ({ store, bucket }) => {
  const wrongSha = { key: 'p/sha', body: Readable.from([BYTES]), size: 20, contentType: 'image/jpeg' };
  await rejectsWith(() => store.put({ ...wrongSha, sha256: '0'.repeat(64) }), 'OBJECT_SHA256_MISMATCH');
  for (const size of [19, 21]) {
    const input = { key: 'p/size', body: Readable.from([BYTES]), size, contentType: 'image/jpeg' };
    await rejectsWith(() => store.put(input), 'OBJECT_SIZE_MISMATCH');
  }
  assert.equal((await rawKeys(bucket, '')).filter((key) => !key.startsWith('.staging/')), []);
  // s3rver keeps the bytes of an aborted PUT (S3 and MinIO do not); the sweep at open removes them.
  const later = () => new Date(Date.now() + 25 * 3600 * 1000);
  await (await openS3ObjectStore(await options({ bucket, clock: later }))).close();
  assert.equal(await rawKeys(bucket, ''), []);
});

test('a stream that errors midway rejects with its own error and stores nothing', async ({ store, bucket }) => {
  const error = await store
    .put({ key: 'p/video.mp4', body: failingStream(8), size: 10 * 64 * 1024, contentType: 'video/mp4' })
    .then(() => undefined, (e: unknown) => e);
  assert.instance(error, Error);
  assert.is((error as Error).message, 'client went away');
  assert.is(await store.stat('p/video.mp4'), null);
  assert.equal((await rawKeys(bucket, '')).filter((key) => !key.startsWith('.staging/')), []);
});

test('the clock option sets lastModified', async ({ bucket }) => {
  const clock = () => new Date('2024-05-25T10:00:00.000Z');
  const store = await openS3ObjectStore(await options({ bucket, clock }));
  const info = await store.put({ key: 'a', body: BYTES, contentType: 'image/jpeg' });
  assert.is(info.lastModified, '2024-05-25T10:00:00.000Z');
  assert.equal(await store.stat('a'), info);
  await store.close();
});

test('objects other tools put in the bucket are skipped or reported as OBJECT_CORRUPT', async ({ store, bucket }) => {
  const client = await rawClient();
  await client.putObject(bucket, 'foreign/a', BYTES, 20); // no sha256 metadata
  await client.putObject(bucket, 'not a key', BYTES, 20);
  await client.putObject(bucket, '.staging/in-progress', BYTES, 20);
  await store.put({ key: 'ours', body: BYTES, contentType: 'image/jpeg' });
  await rejectsWith(() => store.stat('foreign/a'), 'OBJECT_CORRUPT', { status: 500 });
  await rejectsWith(() => store.get('foreign/a'), 'OBJECT_CORRUPT', { status: 500 });
  assert.equal((await collect(store.list('o'))).map((info) => info.key), ['ours']);
  await rejectsWith(() => collect(store.list('')), 'OBJECT_CORRUPT');
});

test('open sweeps staged uploads older than stagingMaxAgeMs and keeps younger ones', async ({ bucket }) => {
  const client = await rawClient();
  await client.putObject(bucket, '.staging/crashed', BYTES, 20);
  const young = await openS3ObjectStore(await options({ bucket }));
  await young.close();
  assert.equal(await rawKeys(bucket, '.staging/'), ['.staging/crashed']);
  const later = () => new Date(Date.now() + 25 * 3600 * 1000);
  const old = await openS3ObjectStore(await options({ bucket, clock: later }));
  await old.close();
  assert.equal(await rawKeys(bucket, '.staging/'), []);
});

test('presignedGetUrl signs a GET of the object, on the public endpoint when one is set', async ({ store, bucket }) => {
  await store.put({ key: 'p/a.jpg', body: BYTES, contentType: 'image/jpeg' });
  const url = new URL(await store.presignedGetUrl('p/a.jpg', 600));
  assert.is(url.pathname, `/${bucket}/p/a.jpg`);
  assert.is(url.searchParams.get('X-Amz-Expires'), '600');
  const body = await new Promise<Buffer>((resolve, reject) => {
    httpGet(url, (response) => readAll(response).then(resolve, reject)).on('error', reject);
  });
  assert.equal(body, BYTES);

  const behindProxy = await openS3ObjectStore(await options({ bucket, publicEndpoint: 'https://media.example.com' }));
  const signed = new URL(await behindProxy.presignedGetUrl('p/a.jpg', 60));
  assert.is(signed.origin, 'https://media.example.com');
  await rejectsWith(() => behindProxy.presignedGetUrl('p/a.jpg', 0), 'INVALID_EXPIRY', {
    status: 400,
    details: { expirySeconds: ['Must be an integer from 1 to 604800.'] },
  });
  await rejectsWith(() => behindProxy.presignedGetUrl('../x', 60), 'INVALID_OBJECT_KEY');
  await behindProxy.close();
});

test('calls after close are refused', async ({ store }) => {
  await store.close();
  await rejectsWith(() => store.stat('p/a'), 'UNAVAILABLE', { status: 503 });
  await rejectsWith(() => collect(store.list('')), 'UNAVAILABLE');
});

test('wrong credentials are refused as OBJECT_STORE_ACCESS_DENIED, a hidden 500', async () => {
  const error = await rejectsWith(
    async () => openS3ObjectStore(await options({ bucket: freshBucket(), accessKey: 'nobody' })),
    'OBJECT_STORE_ACCESS_DENIED',
    { status: 500 },
  );
  assert.is(error.expose, false);
});

test('an endpoint that is not an http(s) origin is refused before any request', async () => {
  for (const endpoint of ['ftp://127.0.0.1:9000', 'http://127.0.0.1:9000/prefix', 'not a url']) {
    await rejectsWith(async () => openS3ObjectStore(await options({ endpoint })), 'INVALID_OBJECT_STORE_CONFIG');
  }
});

test.run();

const gone = suite('s3 object store: the server going away');

gone('every call rejects with UnavailableError once the server is gone', async () => {
  const own = await startS3rver();
  const { endpoint, accessKey, secretKey } = own;
  const store = await openS3ObjectStore({ endpoint, accessKey, secretKey, bucket: freshBucket() });
  await store.put({ key: 'p/a', body: BYTES, contentType: 'image/jpeg' });
  await own.stop();
  await rejectsWith(() => store.stat('p/a'), 'UNAVAILABLE', { status: 503 });
  await rejectsWith(() => store.get('p/a'), 'UNAVAILABLE');
  await rejectsWith(() => store.put({ key: 'p/b', body: BYTES, contentType: 'image/jpeg' }), 'UNAVAILABLE');
  const stream = { key: 'p/c', body: Readable.from([BYTES]), size: 20, contentType: 'image/jpeg' };
  await rejectsWith(() => store.put(stream), 'UNAVAILABLE');
  await rejectsWith(() => store.delete('p/a'), 'UNAVAILABLE');
  await rejectsWith(() => collect(store.list('')), 'UNAVAILABLE');
  await store.close();
  await rejectsWith(() => openS3ObjectStore({ endpoint, accessKey, secretKey, bucket: freshBucket() }), 'UNAVAILABLE');
});

gone('a server that accepts connections but never answers times out as UnavailableError', async () => {
  const sockets = new Set<Socket>();
  const silent: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  const started = Date.now();
  try {
    const endpoint = `http://127.0.0.1:${port}`;
    const settings = { endpoint, accessKey: 'a', secretKey: 'b', bucket: 'silent', timeoutMs: 200 };
    const open = () => openS3ObjectStore(settings);
    const error = await rejectsWith(open, 'UNAVAILABLE', { status: 503 });
    assert.match(String((error.cause as Error).message), 'did not answer within 200 ms');
    assert.ok(Date.now() - started < 5000, 'gave up after the timeout');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

gone.run();

const memory = suite('s3 object store: memory');

memory('a 20 MiB stream put does not raise memory by anything like its size', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const used = () => {
    gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const store = await openS3ObjectStore(await options({ bucket: freshBucket() }));
  const chunkSize = 64 * 1024;
  const chunks = 320; // 20 MiB
  const hash = createHash('sha256');
  const baseline = used();
  let peak = 0;
  const body = Readable.from(
    (function* () {
      for (let i = 0; i < chunks; i++) {
        if (i % 32 === 0) peak = Math.max(peak, used() - baseline);
        const chunk = Buffer.alloc(chunkSize, i % 251);
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  const info = await store.put({ key: 'p/big.mp4', body, size: chunkSize * chunks, contentType: 'video/mp4' });
  assert.is(info.sha256, hash.digest('hex'));
  assert.is((await store.stat('p/big.mp4'))?.size, chunkSize * chunks);
  assert.ok(peak < 6 * 1024 * 1024, `memory grew by ${peak} bytes while streaming 20 MiB`);
  await store.close();
});

// The last suite of the file: nothing needs the shared server after it.
memory.after(async () => {
  await (await server()).stop();
});

memory.run();

import type { LookupAddress } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createErpDownloader, type ErpDownloaderOptions } from '../../src/adapters/http/erpDownloader.ts';
import { FORBIDDEN_ADDRESS, guardedLookup } from '../../src/adapters/http/guardedAgents.ts';
import { AppError } from '../../src/errors/appError.ts';
import { startErpServer, type ErpServer } from '../support/erpServer.ts';

const test = suite<{ erp: ErpServer }>('ERP downloader');
test.before(async (context) => {
  context.erp = await startErpServer();
});
test.after(async ({ erp }) => erp.close());

const LIMITS = { maxBytes: 100_000, timeoutMs: 500, maxRedirects: 5 };
const trusting = (options: Partial<ErpDownloaderOptions> = {}) => createErpDownloader({ allowedHosts: ['127.0.0.1'], ...LIMITS, ...options });
const strict = () => createErpDownloader({ allowedHosts: [], ...LIMITS });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, AppError);
    const { code, status, message } = error as AppError;
    return { code, status, message };
  }
  throw new Error('expected a refusal');
}
const failed = (message: string) => ({ code: 'DOWNLOAD_FAILED', status: 400, message });

test('downloads a file from an allowed host', async ({ erp }) => {
  const file = await trusting().download(`${erp.base}/image.jpg`);
  assert.ok(file.bytes.equals(erp.jpeg));
  assert.is(file.contentType, 'image/jpeg');
  assert.is(file.finalUrl, `${erp.base}/image.jpg`);
});

test('follows relative and absolute redirects, up to the limit', async ({ erp }) => {
  const file = await trusting().download(`${erp.base}/redirect?hops=4`);
  assert.is(file.finalUrl, `${erp.base}/image.jpg`);
  assert.equal(await refusal(trusting().download(`${erp.base}/redirect?hops=5`)), failed('Too many redirects.'));
  assert.equal(await refusal(trusting({ maxRedirects: 0 }).download(`${erp.base}/redirect`)), failed('Too many redirects.'));
});

test('refuses private, loopback, link-local and literal-trick addresses', async ({ erp }) => {
  const privateAddress = failed('The URL resolves to a private address.');
  for (const url of [
    `${erp.base}/image.jpg`,
    `http://localhost:${erp.port}/image.jpg`,
    `http://127.1:${erp.port}/image.jpg`,
    `http://[::1]:${erp.port}/image.jpg`,
    `http://[::ffff:127.0.0.1]:${erp.port}/image.jpg`,
    `http://0x7f000001:${erp.port}/image.jpg`,
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://0.0.0.0/',
  ]) {
    assert.equal(await refusal(strict().download(url)), privateAddress, url);
  }
});

/** Runs `work` recording the options of every socket connection attempted meanwhile. */
async function recordingConnects<T>(work: () => Promise<T>): Promise<{ result: T; attempts: Array<{ host?: string; port?: number }> }> {
  const attempts: Array<{ host?: string; port?: number }> = [];
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    attempts.push(args[0] as { host?: string; port?: number });
    return (connect as (...parameters: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  try {
    return { result: await work(), attempts };
  } finally {
    net.Socket.prototype.connect = connect;
  }
}

test('refuses IPv4-compatible [::127.0.0.1] and every other spelling of loopback before connecting', async ({ erp }) => {
  for (const host of ['[::127.0.0.1]', '[::7f00:1]', '[::ffff:7f00:1]', '[64:ff9b::127.0.0.1]', '[2002:7f00:1::1]', '[::ffff:0:127.0.0.1]']) {
    const url = `http://${host}:${erp.port}/image.jpg`;
    const before = erp.connections;
    // Refused by its address, not by the download's timeout (what an unguarded connect to ::7f00:1 runs into here).
    const { result, attempts } = await recordingConnects(() => refusal(strict().download(url)));
    assert.equal(result, failed('The URL resolves to a private address.'), url);
    assert.equal(attempts, [], `${url}: no connection attempted`);
    assert.is(erp.connections, before, `${url}: the server saw no connection`);
  }
});

test('a DNS answer in a forbidden range fails the lookup, whichever of several it is', async () => {
  const answering = (addresses: LookupAddress[]): LookupFunction =>
    ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)) as unknown as LookupFunction;
  const lookUp = (lookup: LookupFunction, all: boolean) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      lookup('erp.example.com', { all }, (error, address) => resolve({ error, address })),
    );
  const compatible = guardedLookup(answering([{ address: '::7f00:1', family: 6 }]));
  for (const all of [false, true]) {
    const { error } = await lookUp(compatible, all);
    assert.is(error?.code, FORBIDDEN_ADDRESS);
    assert.is(error?.message, 'erp.example.com resolves to ::7f00:1, which may not be reached.');
  }
  const mixed = guardedLookup(answering([{ address: '93.184.216.34', family: 4 }, { address: '64:ff9b::a00:1', family: 6 }]));
  assert.is((await lookUp(mixed, true)).error?.code, FORBIDDEN_ADDRESS);
  const publicOnly = guardedLookup(answering([{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }]));
  assert.equal(await lookUp(publicOnly, true), {
    error: null,
    address: [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }],
  });
  assert.equal(await lookUp(publicOnly, false), { error: null, address: '93.184.216.34' });
});

test('checks every redirect hop: scheme and address', async ({ erp }) => {
  assert.equal(await refusal(trusting().download(`${erp.base}/to-private`)), failed('The URL resolves to a private address.'));
  assert.equal(await refusal(trusting().download(`${erp.base}/to-metadata`)), failed('The URL resolves to a private address.'));
  assert.equal(await refusal(trusting().download(`${erp.base}/to-file`)), failed('Only http and https URLs can be downloaded.'));
});

test('refuses other schemes', async () => {
  for (const url of ['ftp://erp.example.com/a.jpg', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'not a url']) {
    assert.equal(await refusal(strict().download(url)), failed('Only http and https URLs can be downloaded.'), url);
  }
});

test('reports the status of a failed answer', async ({ erp }) => {
  assert.equal(await refusal(trusting().download(`${erp.base}/missing.jpg`)), failed('The server answered 404.'));
});

test('caps the time of the whole download', async ({ erp }) => {
  const started = Date.now();
  assert.equal(await refusal(trusting({ timeoutMs: 200 }).download(`${erp.base}/slow`)), failed('The download took longer than 0.2 seconds.'));
  assert.ok(Date.now() - started < 1500);
  // A body that ends with its connection: the timeout cuts it, and the part read is not the file.
  assert.equal(await refusal(trusting({ timeoutMs: 200 }).download(`${erp.base}/stall-close-delimited`)), failed('The download took longer than 0.2 seconds.'));
});

test('caps the bytes, from Content-Length and while reading', async ({ erp }) => {
  assert.equal(await refusal(trusting().download(`${erp.base}/big-declared`)), failed('The file is larger than 100000 bytes.'));
  assert.equal(await refusal(trusting().download(`${erp.base}/big-chunked`)), failed('The file is larger than 100000 bytes.'));
  const file = await trusting({ maxBytes: 64 * 4096 }).download(`${erp.base}/big-chunked`);
  assert.is(file.bytes.length, 64 * 4096);
});

test('ignores proxy variables', async ({ erp }) => {
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };
  process.env.HTTP_PROXY = process.env.http_proxy = 'http://127.0.0.1:9';
  try {
    const file = await trusting().download(`${erp.base}/image.jpg`);
    assert.ok(file.bytes.equals(erp.jpeg));
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test.run();

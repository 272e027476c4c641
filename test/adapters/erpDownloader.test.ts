import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createErpDownloader, type ErpDownloaderOptions } from '../../src/adapters/http/erpDownloader.ts';
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

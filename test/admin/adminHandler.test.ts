import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAdmin, isAdminRequest } from '../../src/admin/admin.ts';

interface Context {
  dir: string;
  server: Server;
  base: string;
  get(path: string, init?: RequestInit): Promise<Response>;
}

const MEDIA_BASE = 'https://cdn.example.com/media';

async function serve(context: Context, distDir: string) {
  const admin = await createAdmin({ mediaBaseUrl: MEDIA_BASE, renditionWidths: [64, 160, 320], distDir });
  context.server = createServer((req, res) => (isAdminRequest(req.url) ? admin.handle(req, res) : res.writeHead(418).end()));
  await new Promise<void>((done) => context.server.listen(0, '127.0.0.1', done));
  context.base = `http://127.0.0.1:${(context.server.address() as { port: number }).port}`;
  context.get = (path, init) => fetch(`${context.base}${path}`, { redirect: 'manual', ...init });
}

const test = suite<Context>('the admin page is served under /admin/');
test.before(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'admin-dist-'));
  await mkdir(join(context.dir, 'assets'));
  await writeFile(join(context.dir, 'index.html'), '<!doctype html><title>Gallery admin</title>');
  await writeFile(join(context.dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(context.dir, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(context.dir, 'assets', 'notes.txt'), 'not served');
  await serve(context, context.dir);
});
test.after(async ({ server, dir }) => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

test('/admin/ and /admin/products/<pk> answer the page, not cached, with a CSP and no credentials', async ({ get }) => {
  for (const path of ['/admin/', '/admin/products/16201', '/admin/products/16201/', '/ADMIN/?x=1']) {
    const response = await get(path);
    assert.is(response.status, 200, path);
    assert.is(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.is(response.headers.get('cache-control'), 'no-cache');
    assert.is(await response.text(), '<!doctype html><title>Gallery admin</title>');
    assert.is(
      response.headers.get('content-security-policy'),
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https://cdn.example.com blob: data:; media-src 'self' https://cdn.example.com blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    assert.is(response.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('assets have their content types and are cached for good; If-None-Match answers 304', async ({ get }) => {
  const script = await get('/admin/assets/index-abc123.js');
  assert.is(script.status, 200);
  assert.is(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.is(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.is(await script.text(), 'console.log(1)');
  assert.is((await get('/admin/assets/index-abc123.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  const again = await get('/admin/assets/index-abc123.js', { headers: { 'if-none-match': script.headers.get('etag')! } });
  assert.is(again.status, 304);
});

test('/admin/config.json tells the page the rendition widths', async ({ get }) => {
  const response = await get('/admin/config.json');
  assert.is(response.headers.get('content-type'), 'application/json');
  assert.equal(await response.json(), { rendition_widths: [64, 160, 320] });
});

test('unknown paths and files of other types are JSON 404s; other methods 405; /admin redirects', async ({ get }) => {
  for (const path of ['/admin/assets/nope.js', '/admin/assets/notes.txt', '/admin/products/abc', '/admin/products/1/2', '/admin/assets//index-abc123.js', '/admin/%61ssets/index-abc123.js']) {
    const response = await get(path);
    assert.is(response.status, 404, path);
    assert.equal(await response.json(), { detail: 'Not found.' });
  }
  const post = await get('/admin/', { method: 'POST', body: 'x' });
  assert.is(post.status, 405);
  assert.is(post.headers.get('allow'), 'GET, HEAD');
  assert.equal(await post.json(), { detail: 'Method "POST" not allowed.' });
  const bare = await get('/admin');
  assert.is(bare.status, 301);
  assert.is(bare.headers.get('location'), '/admin/');
});

test('only /admin and what is below it is the admin page', () => {
  assert.ok(isAdminRequest('/admin'));
  assert.ok(isAdminRequest('/admin/'));
  assert.ok(isAdminRequest('/admin?x'));
  assert.not.ok(isAdminRequest('/administrator'));
  assert.not.ok(isAdminRequest('/api/admin/'));
  assert.not.ok(isAdminRequest(undefined));
});

test.run();

const unbuilt = suite<Context>('without a build, /admin/ says how to make one');
unbuilt.before(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'admin-unbuilt-'));
  await serve(context, context.dir);
});
unbuilt.after(async ({ server, dir }) => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});
unbuilt('503 with the command', async ({ get }) => {
  const response = await get('/admin/');
  assert.is(response.status, 503);
  assert.equal(await response.json(), { detail: 'The admin page is not built: run `npm run build:admin`.' });
});
unbuilt.run();

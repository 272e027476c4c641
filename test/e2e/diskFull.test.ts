import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnService, type ChildService } from '../support/childService.ts';
import { skipFile } from '../support/skipFile.ts';

const NAME = 'a full disk (tmpfs)';
const KEY = 'erp-key-0123456789abcdef';
/** Small enough to fill in a moment, larger than the read-model store's free-space margin (16 MiB). */
const TMPFS_SIZE = '24m';

/** Mounts a fresh tmpfs on `directory` (created). */
function mountTmpfs(directory: string): void {
  mkdirSync(directory, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', directory]);
}

/** Every line the service wrote, each parsed (a line that is not JSON fails the test). */
function jsonLines(service: ChildService): Array<Record<string, unknown>> {
  const lines = [...service.stdout().split('\n'), ...service.stderr().split('\n')].filter((line) => line !== '');
  return lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      assert.unreachable(`not a JSON line: ${line}`);
      return {};
    }
  });
}

/** Why a tmpfs cannot be mounted here (not root, no mount, a container without CAP_SYS_ADMIN), or undefined. */
function tmpfsProblem(): string | undefined {
  if (process.platform !== 'linux') return `tmpfs mounts are a Linux test (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = mkdtempSync(join(tmpdir(), 'tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `mount -t tmpfs is not allowed here: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Writes zeros into `file` until the file system refuses: answers the bytes written. */
function fillUp(file: string): number {
  const chunk = Buffer.alloc(256 * 1024);
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

const problem = tmpfsProblem();
if (problem !== undefined) {
  skipFile(NAME, problem);
} else {
  const test = suite(NAME);

  test('writes are stored and answered while the read-model disk is full; the read models resume by themselves once it has room', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'disk-full-'));
    const readModels = join(dataDir, 'readmodels');
    // Only the read models are on the small disk: the event log (DATA_DIR/events) keeps appending.
    mountTmpfs(readModels);
    let service: ChildService | undefined;
    try {
      service = await spawnService({ DATA_DIR: dataDir, API_USERS: `erp:${KEY}` });
      const api = client(service.url);
      const jpeg = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#58a' } }).jpeg().toBuffer();
      const sku = 'FULL-DISK-1';
      const product = await api.json('POST', '/api/v1/products/', { sku, name: 'Floor lamp' });
      assert.is(product.status, 201);
      const productPk: number = product.body.pk;
      const first = await api.upload(productPk, jpeg);
      assert.is(first.status, 201);
      const session = (await api.rpc({ jsonrpc: '2.0', id: 1, method: 'login', params: ['erp', KEY] })).result as string;

      const filler = join(readModels, 'filler');
      assert.ok(fillUp(filler) > 0, 'the tmpfs is full');

      // 1. Every write below is appended; the read models cannot commit it.
      const created: Array<{ pk: number; body: unknown }> = [];
      for (let index = 0; index < 10; index++) {
        const answer = await api.upload(productPk, jpeg, String(index + 1));
        assert.is(answer.status, 201, `REST upload ${index}: ${JSON.stringify(answer.body)}`);
        created.push({ pk: answer.body.pk, body: answer.body });
      }
      const files: string[] = [];
      for (let index = 0; index < 5; index++) {
        const content = (await sharp({ create: { width: 20 + index, height: 20, channels: 3, background: '#a85' } }).png().toBuffer()).toString('base64');
        const answer = await api.rpc({
          jsonrpc: '2.0',
          id: 10 + index,
          method: 'call',
          params: [session, 'product_media.create', [sku, { file: { content, mime: 'image/png', name: `side ${index}` }, types: [] }]],
        });
        assert.is(answer.error, null, `JSON-RPC create ${index}: ${JSON.stringify(answer.error)}`);
        files.push((answer.result as string[])[0]!);
      }
      const patched = await api.json('PATCH', `/api/v1/product_image/${first.body.pk}/`, { order: 42 });
      assert.is(patched.status, 200);
      assert.is(patched.body.order, 42);
      const renamed = await api.json('PATCH', `/api/v1/products/${productPk}/`, { name: 'Floor lamp, black' });
      assert.is(renamed.status, 200);

      // 2. They are in the event store (the feed reads it), the read models lag, /ready says why.
      const feed = await api.json('GET', `/api/v1/media_events/?product=${productPk}&limit=100`);
      const uploaded = feed.body.results.filter((entry: { type: string }) => entry.type === 'ImageUploaded');
      assert.is(uploaded.length, 1 + 10 + 5);
      const ready = await api.json('GET', '/ready');
      assert.is(ready.status, 503);
      assert.is(ready.body.status, 'lagging');
      const gallery = ready.body.read_models.find((model: { name: string }) => model.name === 'gallery');
      assert.equal([gallery.state, gallery.reason], ['retrying', 'ENOSPC']);
      assert.is((await api.json('GET', '/health')).status, 200);

      // 3. Room again: no restart, the read models catch up by themselves.
      unlinkSync(filler);
      const deadline = Date.now() + 20_000;
      while ((await api.json('GET', '/ready')).status !== 200) {
        assert.ok(Date.now() < deadline, '/ready turns 200 again');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const list = await api.json('GET', `/api/v1/product_image/?product=${productPk}&limit=100`);
      assert.is(list.body.count, 1 + 10 + 5);
      for (const { pk, body } of created) assert.equal((await api.json('GET', `/api/v1/product_image/${pk}/`)).body, body, `image ${pk} as its write answered`);
      assert.is((await api.json('GET', `/api/v1/product_image/${first.body.pk}/`)).body.order, 42);
      assert.is((await api.json('GET', `/api/v1/products/${productPk}/`)).body.name, 'Floor lamp, black');
      const listed = (await api.rpc({ jsonrpc: '2.0', id: 99, method: 'call', params: [session, 'product_media.list', [sku]] })).result as Array<{ file: string }>;
      for (const file of files) assert.ok(listed.some((image) => image.file === file), `${file} is listed`);

      service.child.kill('SIGTERM');
      assert.is(await service.exited, 0);
      const logged = jsonLines(service);
      assert.equal(logged.filter((line) => line.msg === 'unhandled rejection'), [], 'no unhandled rejection');
      const failed = logged.filter((line) => line.msg === 'read model commit failed, retrying until it succeeds');
      assert.ok(failed.length >= 1);
      assert.ok(failed.every((line) => line.reason === 'ENOSPC'));
      assert.is(new Set(failed.map((line) => line.projection)).size, failed.length, 'one warning per read model and failure streak, not per retry');
      assert.is(logged.filter((line) => line.msg === 'read model commits resumed').length, failed.length);
    } finally {
      if (service && service.child.exitCode === null) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
      execFileSync('umount', ['-l', readModels]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('on a full data disk a write that cannot be stored answers 503 and stores nothing; writes work again once there is room', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'disk-full-'));
    // Everything is on the small disk: events, read models, media, sessions, idempotency keys.
    mountTmpfs(dataDir);
    let service: ChildService | undefined;
    try {
      service = await spawnService({ DATA_DIR: dataDir, API_USERS: `erp:${KEY}` });
      const api = client(service.url);
      const jpeg = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#5a8' } }).jpeg().toBuffer();
      const sku = 'FULL-DATA-1';
      const productPk: number = (await api.json('POST', '/api/v1/products/', { sku, name: 'Desk lamp' })).body.pk;
      assert.is((await api.upload(productPk, jpeg)).status, 201);
      const session = (await api.rpc({ jsonrpc: '2.0', id: 1, method: 'login', params: ['erp', KEY] })).result as string;
      const before = (await api.json('GET', `/api/v1/media_events/?limit=1000`)).body.count;

      const filler = join(dataDir, 'filler');
      fillUp(filler);
      const upload = await api.upload(productPk, jpeg);
      assert.equal([upload.status, upload.body], [503, { detail: 'Service temporarily unavailable, try again later.' }]);
      assert.is((await api.json('POST', '/api/v1/products/', { sku: 'FULL-DATA-2' })).status, 503);
      assert.is((await api.json('PATCH', `/api/v1/products/${productPk}/`, { name: 'Desk lamp, brass' })).status, 503);
      const content = (await sharp({ create: { width: 20, height: 20, channels: 3, background: '#a85' } }).png().toBuffer()).toString('base64');
      const create = { jsonrpc: '2.0', id: 2, method: 'call', params: [session, 'product_media.create', [sku, { file: { content, mime: 'image/png', name: 'side' }, types: [] }]] };
      assert.ok((await api.rpc(create)).error, 'a JSON-RPC create answers an error');
      // Reads go on.
      assert.is((await api.json('GET', `/api/v1/product_image/?product=${productPk}`)).body.count, 1);
      assert.is((await api.json('GET', `/api/v1/media_events/?limit=1000`)).body.count, before, 'nothing was stored');

      unlinkSync(filler);
      const again = await api.upload(productPk, jpeg);
      assert.is(again.status, 201, 'no restart needed');
      assert.is((await api.rpc({ ...create, id: 3 })).error, null);
      assert.is((await api.json('GET', `/api/v1/product_image/?product=${productPk}`)).body.count, 3);

      service.child.kill('SIGTERM');
      assert.is(await service.exited, 0);
      const logged = jsonLines(service);
      assert.equal(logged.filter((line) => line.msg === 'unhandled rejection'), [], 'no unhandled rejection');
      assert.equal(logged.filter((line) => line.msg === 'library output'), [], 'LMDB never met the full disk');
    } finally {
      if (service && service.child.exitCode === null) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
      execFileSync('umount', ['-l', dataDir]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test.run();
}

function client(url: string) {
  const authorization = `Token ${KEY}`;
  return {
    async json(method: string, path: string, body?: unknown) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    async upload(productPk: number, jpeg: Buffer, order = '0') {
      const form = new FormData();
      form.set('product', String(productPk));
      form.set('order', order);
      form.set('image', new Blob([jpeg], { type: 'image/jpeg' }), 'photo.jpg');
      const response = await fetch(`${url}/api/v1/product_image/`, { method: 'POST', headers: { authorization }, body: form });
      return { status: response.status, body: (await response.json()) as any };
    },
    async rpc(body: unknown): Promise<{ result: unknown; error: unknown }> {
      const response = await fetch(`${url}/api/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as { result: unknown; error: unknown };
    },
  };
}

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createBodyParser, DEFAULT_BODY_LIMITS } from '../../src/http/rest/bodyParser.ts';
import { drfErrorMiddleware } from '../../src/http/drf/drfErrorMiddleware.ts';

test('files of a form that failed a limit leave nothing on disk, even when they spill', async () => {
  const root = await mkdtemp(join(tmpdir(), 'body-parser-'));
  const uploadRoot = join(root, 'uploads');
  // Files spill past 16 bytes: the files that follow the one too many, in the same chunk, do too.
  const parser = await createBodyParser({ ...DEFAULT_BODY_LIMITS, uploadRoot, inMemoryFileBytes: 16, files: 1 });
  const app = new Koa();
  app.use(drfErrorMiddleware);
  app.use((ctx, next) => parser(ctx, next));
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const form = new FormData();
    for (let index = 0; index < 5; index++) form.append(`file${index}`, new Blob([Buffer.alloc(4096, index)]), `${index}.bin`);
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', body: form });
    assert.equal([response.status, await response.json()], [413, { detail: 'Too many files: a request may carry at most 1.' }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await readdir(uploadRoot), []);
  } finally {
    server.close();
    await rm(root, { recursive: true, force: true });
  }
});

test.run();

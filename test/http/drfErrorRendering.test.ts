import Router from '@koa/router';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createUserDirectory } from '../../src/auth/userDirectory.ts';
import { BusyError, UnavailableError, ValidationError } from '../../src/errors/appError.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logging/logger.ts';

const test = suite('DRF error rendering');
const KEY = 'render-key-0123456789abcdef';

async function withApp(run: (url: string, logs: string[]) => Promise<void>) {
  const logs: string[] = [];
  const router = new Router({ prefix: '/api/v1/boom' });
  router.get('/crash', () => {
    throw new Error('database password is hunter2');
  });
  router.get('/unavailable', () => {
    throw new UnavailableError('event store unreachable at 10.0.0.7');
  });
  router.get('/busy', () => {
    throw new BusyError('IMAGE_QUEUE_FULL', 'Image processing is busy; retry in 4 seconds.', 4);
  });
  router.get('/invalid', () => {
    throw new ValidationError({ order: ['Ensure this value is greater than or equal to 0.'] });
  });
  const app = createApp({
    logger: createLogger({ write: (line) => logs.push(line) }),
    users: createUserDirectory([{ name: 'erp', key: KEY }]),
    loginGuard: { verify: () => false },
    readiness: () => ({ status: 'ready' }),
    restRouters: [router],
    bodyParser: (_ctx, next) => next(),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, logs);
  } finally {
    server.close();
  }
}

const get = (url: string) => fetch(url, { headers: { authorization: `Token ${KEY}` } });

test('an unexpected error is a 500 with DRF text; the cause goes to the log only', async () => {
  await withApp(async (url, logs) => {
    const response = await get(`${url}/api/v1/boom/crash`);
    assert.is(response.status, 500);
    const text = await response.text();
    assert.equal(JSON.parse(text), { detail: 'A server error occurred.' });
    assert.not.match(text, /hunter2/);
    assert.ok(logs.some((line) => line.includes('hunter2') && line.includes('"level":"error"')));
  });
});

test('an unavailable dependency is a 503 that names nothing internal', async () => {
  await withApp(async (url) => {
    const response = await get(`${url}/api/v1/boom/unavailable`);
    assert.is(response.status, 503);
    assert.equal(await response.json(), { detail: 'Service temporarily unavailable, try again later.' });
    assert.is(response.headers.get('retry-after'), null);
  });
});

test('too much work waiting is a 503 with its own text and Retry-After, and no error in the log', async () => {
  await withApp(async (url, logs) => {
    const response = await get(`${url}/api/v1/boom/busy`);
    assert.is(response.status, 503);
    assert.equal(await response.json(), { detail: 'Image processing is busy; retry in 4 seconds.' });
    assert.is(response.headers.get('retry-after'), '4');
    assert.not.ok(logs.some((line) => line.includes('"level":"error"')), logs.join('\n'));
  });
});

test('a validation error is a 400 with field messages', async () => {
  await withApp(async (url) => {
    const response = await get(`${url}/api/v1/boom/invalid`);
    assert.is(response.status, 400);
    assert.equal(await response.json(), { order: ['Ensure this value is greater than or equal to 0.'] });
  });
});

test('an unknown path is DRF 404, after authentication', async () => {
  await withApp(async (url) => {
    const anonymous = await fetch(`${url}/api/v1/nothing/`);
    assert.is(anonymous.status, 401);
    const response = await get(`${url}/api/v1/nothing/`);
    assert.is(response.status, 404);
    assert.equal(await response.json(), { detail: 'Not found.' });
  });
});

test.run();

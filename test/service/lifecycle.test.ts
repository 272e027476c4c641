import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnService } from '../support/childService.ts';

const test = suite<{ dataDir: string }>('service lifecycle (npm start)');
test.before.each(async (context) => {
  context.dataDir = await mkdtemp(join(tmpdir(), 'lifecycle-'));
});
test.after.each(async ({ dataDir }) => rm(dataDir, { recursive: true, force: true }));

const USERS = 'erp:erp-key-0123456789abcdef';

test('a bad configuration stops start-up naming every bad variable', async ({ dataDir }) => {
  const service = await spawnService({ DATA_DIR: dataDir, PORT: 'http', PUBLIC_BASE_URL: 'nope', API_USERS: USERS }, { waitForListening: false });
  assert.is(await service.exited, 78);
  assert.match(service.stderr(), /PORT must be/);
  assert.match(service.stderr(), /PUBLIC_BASE_URL must be/);
});

test('the first start creates an admin key, prints it once, and keeps it', async ({ dataDir }) => {
  const first = await spawnService({ DATA_DIR: dataDir });
  const key = /with key ([0-9a-f]{40})/.exec(first.stdout())?.[1];
  assert.ok(key, 'the key is printed');
  const stored = JSON.parse(await readFile(join(dataDir, 'api-users.json'), 'utf8'));
  assert.equal(stored, [{ name: 'admin', key }]);
  const authorized = await fetch(`${first.url}/api/v1/products/`, { headers: { authorization: `Token ${key}` } });
  assert.is(authorized.status, 200);
  first.child.kill('SIGTERM');
  assert.is(await first.exited, 0);

  const second = await spawnService({ DATA_DIR: dataDir });
  assert.not.match(second.stdout(), /with key/, 'printed only on the first start');
  const again = await fetch(`${second.url}/api/v1/products/`, { headers: { authorization: `Token ${key}` } });
  assert.is(again.status, 200);
  second.child.kill('SIGTERM');
  assert.is(await second.exited, 0);
});

test('SIGTERM finishes the in-flight request, refuses new ones, and exits cleanly', async ({ dataDir }) => {
  const service = await spawnService({ DATA_DIR: dataDir, API_USERS: USERS });
  const body = JSON.stringify({ sku: 'INFLIGHT', name: 'slow client' });
  // Send the headers and half of the body, then SIGTERM, then the rest.
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${service.url}/api/v1/products/`, {
      method: 'POST',
      headers: { authorization: 'Token erp-key-0123456789abcdef', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => {
      service.child.kill('SIGTERM');
      setTimeout(() => req.end(body.slice(10)), 300);
    }, 200);
  });
  const finished = await response;
  assert.is(finished.status, 201, finished.body);
  assert.is(JSON.parse(finished.body).sku, 'INFLIGHT');
  assert.is(await service.exited, 0);
  try {
    await fetch(`${service.url}/health`);
    assert.unreachable('no longer accepting');
  } catch (error) {
    assert.instance(error, TypeError);
  }
  assert.match(service.stdout(), /"msg":"stopped"/);

  // The acknowledged write survived the shutdown.
  const restarted = await spawnService({ DATA_DIR: dataDir, API_USERS: USERS });
  const list = await fetch(`${restarted.url}/api/v1/products/?sku=INFLIGHT`, { headers: { authorization: 'Token erp-key-0123456789abcdef' } });
  assert.is(((await list.json()) as { count: number }).count, 1);
  restarted.child.kill('SIGTERM');
  await restarted.exited;
});

test('logs are JSON lines carrying the request id', async ({ dataDir }) => {
  const service = await spawnService({ DATA_DIR: dataDir, API_USERS: USERS });
  const response = await fetch(`${service.url}/health`, { headers: { 'x-request-id': 'probe-1' } });
  assert.is(response.headers.get('x-request-id'), 'probe-1');
  service.child.kill('SIGTERM');
  await service.exited;
  const lines = service.stdout().trim().split('\n').map((line) => JSON.parse(line));
  const access = lines.find((line) => line.msg === 'request' && line.requestId === 'probe-1');
  assert.ok(access, 'an access-log line with the request id');
  assert.is(access.status, 200);
  assert.is(access.path, '/health');
});

test.run();

import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createUserDirectory } from '../../src/auth/userDirectory.ts';
import { createApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/logging/logger.ts';

const test = suite('readiness');

test('/ready is 503 until the read models have caught up, then 200; /health is 200 throughout', async () => {
  let ready = false;
  const app = createApp({ logger: silentLogger, users: createUserDirectory([]), loginGuard: { verify: () => false }, isReady: () => ready, restRouters: [], bodyParser: (_ctx, next) => next() });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const before = await fetch(`${url}/ready`);
    assert.equal([before.status, await before.json()], [503, { status: 'starting' }]);
    assert.is((await fetch(`${url}/health`)).status, 200);
    ready = true;
    const after = await fetch(`${url}/ready`);
    assert.equal([after.status, await after.json()], [200, { status: 'ready' }]);
  } finally {
    server.close();
  }
});

test.run();

import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createUserDirectory } from '../../src/auth/userDirectory.ts';
import { createApp } from '../../src/http/app.ts';
import { serviceReadiness } from '../../src/http/healthRoutes.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { ProjectionStatus } from '../../src/projections/projectionRunner.ts';

const test = suite('readiness');

test('/ready is 503 with what holds it back until the read models have caught up, then 200; /health is 200 throughout', async () => {
  let statuses: ProjectionStatus[] = [
    { name: 'products', state: 'live' },
    { name: 'gallery', state: 'catching up' },
  ];
  let connected = true;
  const readiness = serviceReadiness({ statuses: () => statuses }, () => connected);
  const app = createApp({ logger: silentLogger, users: createUserDirectory([]), loginGuard: { verify: () => false }, readiness, restRouters: [], bodyParser: (_ctx, next) => next() });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ready = async () => {
    const response = await fetch(`${url}/ready`);
    return [response.status, await response.json()];
  };
  try {
    assert.equal(await ready(), [503, { status: 'starting', read_models: [{ name: 'gallery', state: 'catching up' }] }]);
    assert.is((await fetch(`${url}/health`)).status, 200);

    statuses = [{ name: 'products', state: 'live' }, { name: 'gallery', state: 'live' }];
    assert.equal(await ready(), [200, { status: 'ready' }]);

    statuses = [
      { name: 'products', state: 'live' },
      { name: 'gallery', state: 'retrying', reason: 'ENOSPC', since: '2024-05-25T10:00:00.000Z', failedCommits: 3 },
    ];
    assert.equal(await ready(), [
      503,
      { status: 'lagging', read_models: [{ name: 'gallery', state: 'retrying', reason: 'ENOSPC', since: '2024-05-25T10:00:00.000Z', failed_commits: 3 }] },
    ]);
    assert.is((await fetch(`${url}/health`)).status, 200, 'a lagging read model is not a dead process');

    statuses = [{ name: 'products', state: 'live' }, { name: 'gallery', state: 'live' }];
    connected = false;
    assert.equal(await ready(), [503, { status: 'lagging', read_models: [], event_store: 'unreachable' }]);
  } finally {
    server.close();
  }
});

test.run();

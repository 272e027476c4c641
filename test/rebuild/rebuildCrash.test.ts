import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnService, type ChildService } from '../support/childService.ts';
import { requester, startTestService, TEST_USERS } from '../support/testService.ts';
import { seedRenamedProducts } from './seedHistory.ts';

const test = suite('rebuild cut short');

async function ready(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await fetch(`${url}/ready`).then((response) => response.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`${url} was not ready in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('the restarted instance serves its old read models and removes the directory the rebuild left beside', async () => {
  const seeded = await startTestService();
  const dataDir = seeded.dataDir;
  await seedRenamedProducts(seeded.service.eventStore, 1, 100, 999);
  await seeded.stop({ keepData: true });
  const env = { DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://omnitron.example.com', API_USERS: TEST_USERS.map((user) => `${user.name}:${user.key}`).join(',') };
  let child: ChildService | undefined;
  try {
    child = await spawnService(env);
    await ready(child.url);
    const request = requester(child.url);
    const posted = await request('POST', '/api/v1/read_model_rebuilds/', { body: {} });
    assert.is(posted.status, 202, posted.text);
    const beside = `readmodels-${posted.body.id}`;
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${dataDir}/${beside}`)) {
      if (Date.now() > deadline) throw new Error(`no ${beside} in time: ${child.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.child.kill('SIGKILL');
    await child.exited;
    // Killed while building: no switch was written, and the directory is still there.
    assert.not.ok(existsSync(`${dataDir}/readmodels.current`), 'the rebuild had switched before the kill');
    assert.ok(existsSync(`${dataDir}/${beside}`));

    child = await spawnService(env);
    await ready(child.url);
    assert.equal(readdirSync(dataDir).filter((name) => name.startsWith('readmodels')), ['readmodels']);
    assert.match(child.stdout(), /removed read models left by an unfinished rebuild/);
    const listed = await requester(child.url)('GET', '/api/v1/products/?sku=SEED-42');
    assert.is(listed.status, 200);
    assert.is(listed.body.results[0].name, 'name 999');
    assert.is((await requester(child.url)('GET', '/api/v1/products/?limit=1')).body.count, 100);
  } finally {
    if (child && child.child.exitCode === null) {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a service stopped mid-rebuild reports it failed, removes the directory beside and keeps serving from the old one', async () => {
  const api = await startTestService();
  try {
    await seedRenamedProducts(api.service.eventStore, 1, 100, 999);
    const posted = await api.request('POST', '/api/v1/read_model_rebuilds/', { body: {} });
    const beside = `${api.dataDir}/readmodels-${posted.body.id}`;
    const deadline = Date.now() + 20_000;
    while (!existsSync(beside)) {
      if (Date.now() > deadline) throw new Error(`no ${beside} in time`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await api.service.close();
    assert.not.ok(existsSync(beside));
    assert.not.ok(existsSync(`${api.dataDir}/readmodels.current`));
    const restarted = await startTestService({ dataDir: api.dataDir });
    const status = await restarted.request('GET', `/api/v1/read_model_rebuilds/${posted.body.id}/`);
    assert.equal(
      status.body.instances.map((instance: { state: string; reason: string }) => [instance.state, instance.reason]),
      [['failed', 'The instance stopped before switching; it serves the read models it had.']],
    );
    assert.is((await restarted.request('GET', '/api/v1/products/?limit=1')).body.count, 100);
    await restarted.stop({ keepData: true });
  } finally {
    await api.stop();
  }
});

test.run();

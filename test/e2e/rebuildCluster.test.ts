import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';
import { startCluster, type Cluster } from '../support/clusterFixture.ts';
import { registerProduct } from '../support/rpcClient.ts';
import { TEST_USERS } from '../support/testService.ts';

/**
 * Three instances on one EventStoreDB (stand-in) behind a round-robin proxy, each with its own
 * read models: one `catalog rebuild --url <proxy>` rebuilds every one of them, while a client
 * keeps writing and reading through the proxy.
 */
const test = suite<{ cluster: Cluster }>('catalog rebuild --url over three instances');
test.before(async (context) => {
  context.cluster = await startCluster(3);
});
test.after(async ({ cluster }) => cluster?.stop());

test('one CLI call rebuilds every instance; each reports switched and serves every product, those written meanwhile included', async ({ cluster }) => {
  for (let n = 0; n < 30; n++) await registerProduct(cluster.api, `CLUSTER-REBUILD-${n}`);
  let stop = false;
  let written = 30;
  const failures: string[] = [];
  const client = (async () => {
    for (let n = 0; !stop; n++) {
      const sku = `CLUSTER-DURING-${n}`;
      const created = await cluster.api.request('POST', '/api/v1/products/', { body: { sku, media_enabled: true } });
      if (created.status === 201) written += 1;
      else failures.push(`POST ${sku}: ${created.status}`);
      // The next request lands on another instance: read-your-writes across instances, during the rebuild.
      const read = await cluster.api.request('GET', `/api/v1/products/?sku=${sku}`);
      if (read.body?.count !== 1) failures.push(`GET ${sku}: ${read.status} ${read.text.slice(0, 100)}`);
    }
  })();
  const io = captureIo({});
  const code = await runCatalog(['rebuild', '--url', cluster.proxy.url, '--token', TEST_USERS[0]!.key, '--instances', '3', '--timeout', '120'], io);
  stop = true;
  await client;

  assert.is(code, 0, io.stderr());
  assert.match(io.stdout(), /^rebuild [0-9a-f-]{36}: 3 instance\(s\) switched, 0 failed, in \d+\.\d s\n$/);
  assert.equal(failures, []);
  const id = /^rebuild ([0-9a-f-]{36})/.exec(io.stdout())![1];
  const status = await cluster.api.request('GET', `/api/v1/read_model_rebuilds/${id}/`);
  const pids = [0, 1, 2].map((index) => cluster.pid(index));
  // Each instance names itself host-pid-suffix: the three switched are the three processes.
  assert.equal(
    status.body.instances.map((instance: { instance: string }) => Number(instance.instance.split('-').at(-2))).sort(),
    [...pids].sort(),
  );
  assert.ok(status.body.instances.every((instance: { state: string }) => instance.state === 'switched'));
  for (const instance of cluster.direct) {
    assert.is((await instance.request('GET', '/api/v1/products/?limit=1')).body.count, written);
    assert.is((await instance.request('GET', '/api/v1/products/?sku=CLUSTER-REBUILD-7')).body.count, 1);
  }
});

test.run();

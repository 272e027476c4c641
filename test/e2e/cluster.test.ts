import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster, type Cluster } from '../support/clusterFixture.ts';
import { scriptedErpSession } from '../support/erpSessionScript.ts';
import { imageList, scriptedDay, uploadImage } from '../history/historySupport.ts';
import { callOk, login, registerProduct } from '../support/rpcClient.ts';

/**
 * Three instances (child processes, each its own data directory) on one EventStoreDB and one S3
 * (stand-ins) behind a round-robin proxy: every request of a client lands on the next instance,
 * and the cluster must behave as one service.
 */
const test = suite<{ cluster: Cluster }>('three instances behind a round-robin proxy');
test.before(async (context) => {
  context.cluster = await startCluster(3);
});
test.after(async ({ cluster }) => cluster?.stop());

test('the scripted ERP session over JSON-RPC, every call on the next instance', async ({ cluster }) => {
  const before = [...cluster.proxy.served];
  await scriptedErpSession(cluster.api, 'CLUSTER-ERP');
  assert.ok(cluster.proxy.served.every((served, index) => served - before[index]! >= 4), `spread over all: ${cluster.proxy.served}`);
});

test('the REST day of changes, then every instance answers the same, now and as of each moment', async ({ cluster }) => {
  const day = await scriptedDay(cluster.api);
  const lists = await Promise.all(cluster.direct.map((instance) => imageList(instance, day.productPk)));
  assert.equal(lists[1], lists[0]);
  assert.equal(lists[2], lists[0]);
  for (const moment of day.moments) {
    for (const instance of cluster.direct) {
      assert.equal(await imageList(instance, day.productPk, `&as_of=${encodeURIComponent(moment.asOf)}`), moment.list);
    }
  }
});

test('50 concurrent conflicting writes over the three instances leave the state a serial replay gives', async ({ cluster }) => {
  const { api } = cluster;
  const productPk = await registerProduct(api, 'CLUSTER-RACE');
  const images: number[] = [];
  for (let index = 0; index < 10; index++) images.push((await uploadImage(api, productPk, { order: index, background: `#${(index * 111111).toString(16).padStart(6, '0').slice(0, 6)}` })).pk);
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, index) => api.request('POST', `/api/v1/product_image/${images[index % images.length]}/make_special/`, { body: { special_image_type: 'base' } })),
  );
  assert.ok(answers.every((answer) => answer.status === 200), answers.map((answer) => answer.status).join(','));
  const events = (await api.eventsSince()).filter((event) => event.streamName === `productMedia-${productPk}`);
  const lastMain = events.filter((event) => event.type === 'MainImageSet').at(-1)!.data as { imagePk: number };
  const session = await login(api);
  for (let round = 0; round < 3; round++) {
    const listed = await callOk(api, session, 'product_media.list', ['CLUSTER-RACE']);
    const mains = listed.filter((image: { types: string[] }) => image.types.includes('image'));
    assert.is(mains.length, 1, 'one main image');
    const urlOf = (await api.request('GET', `/api/v1/product_image/${lastMain.imagePk}/`)).body.image;
    assert.is(mains[0].url, urlOf, 'the one the last MainImageSet names');
  }
  const revisions = events.map((event) => event.revision);
  assert.equal(revisions, revisions.map((_, index) => index), 'one stream, no gap');
});

test('an instance killed mid-run: the others keep answering; restarted, it catches up and answers the same', async ({ cluster }) => {
  const { api } = cluster;
  const failures: string[] = [];
  /** A write retried with its Idempotency-Key until a stored answer comes back, as a careful client does. */
  const createProduct = async (sku: string) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const response = await api.request('POST', '/api/v1/products/', { body: { sku }, headers: { 'idempotency-key': `create-${sku}` } });
      if (response.status === 201) return response.body.pk as number;
      failures.push(`${sku}: ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${sku} was never created`);
  };
  const skus: string[] = [];
  const work = (async () => {
    for (let index = 0; index < 40; index++) {
      const sku = `KILL-${index}`;
      skus.push(sku);
      const pk = await createProduct(sku);
      assert.is((await api.request('GET', `/api/v1/products/${pk}/`)).status, 200, 'read on the next instance');
      assert.is((await uploadImage(api, pk, { background: '#5a5' })).product, pk);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await cluster.kill(1);
  const servedWhileDown = cluster.proxy.served[1];
  await work;
  assert.is(cluster.proxy.served[1], servedWhileDown, 'nothing reached the killed instance');
  await cluster.restart(1);
  const listOf = async (index: number) => (await cluster.direct[index]!.request('GET', '/api/v1/products/?limit=1000')).body.results.map((product: { sku: string }) => product.sku).sort();
  const lists = await Promise.all([0, 1, 2].map(listOf));
  assert.equal(lists[1], lists[0], 'the restarted instance caught up');
  assert.equal(lists[2], lists[0]);
  const registrations = (await api.eventsSince()).filter((event) => event.type === 'ProductRegistered' && skus.includes((event.data as { sku: string }).sku));
  assert.is(registrations.length, skus.length, `each product once (retries: ${failures.length})`);
});

test.run();

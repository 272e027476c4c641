import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { call, callOk, imageBase64, imageData, login, registerProduct } from '../support/rpcClient.ts';
import { startTestService, type TestService } from '../support/testService.ts';

interface Context {
  esdb: EsdbStandIn;
  a: TestService;
  b: TestService;
  png: string;
}

// Issue 20, item 16, with several instances: the names are reserved in the event store, so two
// instances never hand out one name, even while one has not yet seen the other's images.
const test = suite<Context>('gallery file names are unique across instances on one EventStoreDB (stand-in)');
test.before(async (context) => {
  context.esdb = await startEsdbStandIn();
  const config = { env: { EVENTSTORE_URL: context.esdb.connectionString } };
  context.a = await startTestService(config);
  // B's subscriptions get every event 300 ms late: B's read models do not know A's names when it picks one.
  context.esdb.delayLiveDeliveries(300);
  context.b = await startTestService(config);
  context.esdb.delayLiveDeliveries(0);
  context.png = await imageBase64('png', 10, 10, '#36c');
});
test.after(async ({ a, b, esdb }) => {
  await a?.stop();
  await b?.stop();
  await esdb?.stop();
});

/** Products registered on A, once B's read models know them too. */
async function productsOnBoth({ a, b }: Context, count: number, bSession: string): Promise<string[]> {
  const skus = Array.from({ length: count }, () => `CL-${Math.random().toString(36).slice(2)}`);
  for (const sku of skus) await registerProduct(a, sku);
  const deadline = Date.now() + 10_000;
  for (const sku of skus) {
    while ((await call(b, bSession, 'product_media.list', [sku])).error !== null) {
      if (Date.now() > deadline) throw new Error(`B never saw ${sku}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return skus;
}

test('one name asked on A and then at once on B gives two names; a name removed on A is not handed out by B', async (context) => {
  const { a, b, png } = context;
  const [sessionA, sessionB] = [await login(a), await login(b)];
  const [first, second] = await productsOnBoth(context, 2, sessionB);
  assert.equal(await callOk(a, sessionA, 'product_media.create', [first, imageData(png, 'image/png', { name: 'shared' })]), ['/s/h/shared.png']);
  // B has not seen A's image yet (its deliveries lag): only the event store tells it the name is taken.
  assert.equal(await callOk(b, sessionB, 'product_media.create', [second, imageData(png, 'image/png', { name: 'shared' })]), ['/s/h/shared_1.png']);
  await callOk(a, sessionA, 'product_media.remove', [first, '/s/h/shared.png']);
  assert.equal(await callOk(b, sessionB, 'product_media.create', [second, imageData(png, 'image/png', { name: 'shared' })]), ['/s/h/shared_2.png']);
});

test('concurrent creates of one name on both instances all get different names', async (context) => {
  const { a, b, png } = context;
  const [sessionA, sessionB] = [await login(a), await login(b)];
  const skus = await productsOnBoth(context, 6, sessionB);
  const creates = skus.map((sku, index) =>
    callOk(index % 2 === 0 ? a : b, index % 2 === 0 ? sessionA : sessionB, 'product_media.create', [sku, imageData(png, 'image/png', { name: 'race' })]),
  );
  const files = (await Promise.all(creates)).map(([file]: string[]) => file);
  assert.is(new Set(files).size, 6, JSON.stringify(files));
  assert.equal([...files].sort(), ['/r/a/race.png', '/r/a/race_1.png', '/r/a/race_2.png', '/r/a/race_3.png', '/r/a/race_4.png', '/r/a/race_5.png']);
  const reservations = (await a.eventsSince()).filter((event) => event.type === 'GalleryFileReserved' && (event.data as { file: string }).file.startsWith('/r/a/'));
  assert.is(reservations.length, 6, 'one reservation per name: a lost race appends nothing');
});

test.run();

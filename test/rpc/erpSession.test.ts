import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { scriptedErpSession } from '../support/erpSessionScript.ts';
import { startTestService, type TestService } from '../support/testService.ts';
import { call, callOk, imageBase64, imageData, login, registerProduct } from '../support/rpcClient.ts';

const test = suite<{ api: TestService }>('a scripted ERP session over JSON-RPC');
test.before(async (context) => {
  context.api = await startTestService();
});
test.after(async ({ api }) => api.stop());

test('login, create three, list, update, replace content, remove, list, endSession, old session refused', async ({ api }) => {
  await scriptedErpSession(api);
});

test('concurrent creates of one name all succeed, with distinct names, each image processed and stored once', async ({ api }) => {
  const productPk = await registerProduct(api, 'RACE-1');
  const session = await login(api);
  const jpeg = await imageBase64('jpeg');
  const count = 12;
  const created = await Promise.all(
    Array.from({ length: count }, () => callOk(api, session, 'product_media.create', ['RACE-1', imageData(jpeg, 'image/jpeg', { name: 'same' })])),
  );
  const names = created.map(([file]) => file as string);
  const expected = ['/s/a/same.jpg', ...Array.from({ length: count - 1 }, (_, index) => `/s/a/same_${index + 1}.jpg`)];
  assert.equal([...names].sort(), [...expected].sort());
  const listed = await callOk(api, session, 'product_media.list', ['RACE-1']);
  assert.equal(listed.map((image: { file: string }) => image.file).sort(), [...expected].sort());
  const stored: string[] = [];
  for await (const object of api.service.objectStore.list('products/')) if (object.key.includes(`/${productPk}/`)) stored.push(object.key);
  assert.is(stored.length, count, 'one binary per image: no attempt stored a second one');
});

test('a session outlives a restart of the service', async () => {
  const first = await startTestService();
  const session = await login(first);
  await first.stop({ keepData: true });
  const second = await startTestService({ dataDir: first.dataDir });
  try {
    await registerProduct(second, 'RESTART-1');
    assert.equal(await callOk(second, session, 'product_media.list', ['RESTART-1']), []);
  } finally {
    await second.stop();
  }
});

test('a session expires RPC_SESSION_TTL_SECONDS after its last use', async () => {
  const api = await startTestService({ env: { RPC_SESSION_TTL_SECONDS: '1' } });
  try {
    await registerProduct(api, 'TTL-1');
    const session = await login(api);
    assert.equal(await callOk(api, session, 'product_media.list', ['TTL-1']), []);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.is((await call(api, session, 'product_media.list', ['TTL-1'])).error.code, -32005);
  } finally {
    await api.stop();
  }
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';
import { callOk, imageBase64, imageData, login, registerProduct } from '../support/rpcClient.ts';

interface Context {
  api: TestService;
  session: string;
  sku: string;
  productPk: number;
  jpeg: string;
}

const test = suite<Context>('one catalog behind REST and JSON-RPC');
test.before(async (context) => {
  context.api = await startTestService({ env: { MEDIA_BASE_URL: 'https://cdn.example.com/media' } });
  context.session = await login(context.api);
  context.jpeg = await imageBase64('jpeg');
});
test.before.each(async (context) => {
  context.sku = `ONE-${Math.random()}`;
  context.productPk = await registerProduct(context.api, context.sku);
});
test.after(async ({ api }) => api.stop());

async function restUpload(api: TestService, productPk: number, jpeg: string, order: number) {
  const form = new FormData();
  form.append('product', String(productPk));
  form.append('order', String(order));
  form.append('image', new Blob([Buffer.from(jpeg, 'base64')], { type: 'image/jpeg' }), 'photo.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: TOKEN }, body: form });
  return (await response.json()) as { pk: number; image: string; order: number };
}

const restList = async (api: TestService, productPk: number) =>
  (await api.request('GET', `/api/v1/product_image/?product=${productPk}`)).body.results as { pk: number; image: string; order: number }[];

test('an image created over RPC is in the REST list, with position as order and the same URL', async ({ api, session, sku, productPk, jpeg }) => {
  await callOk(api, session, 'product_media.create', [sku, imageData(jpeg, 'image/jpeg', { position: 5 })]);
  const [rpcImage] = await callOk(api, session, 'product_media.list', [sku]);
  const [restImage] = await restList(api, productPk);
  assert.equal([restImage!.order, restImage!.image], [5, rpcImage.url]);
});

test('an image uploaded over REST has a gallery file name and is managed over RPC', async ({ api, session, sku, productPk, jpeg }) => {
  const uploaded = await restUpload(api, productPk, jpeg, 3);
  const [image] = await callOk(api, session, 'product_media.list', [sku]);
  const uuid = /\/([0-9a-f-]{36}\.jpg)$/.exec(uploaded.image)![1]!;
  assert.equal({ file: image.file, position: image.position, url: image.url }, { file: `/${uuid[0]}/${uuid[1]}/${uuid}`, position: 3, url: uploaded.image });
  await callOk(api, session, 'product_media.update', [sku, image.file, { position: 9 }]);
  assert.is((await api.request('GET', `/api/v1/product_image/${uploaded.pk}/`)).body.order, 9);
  await callOk(api, session, 'product_media.remove', [sku, image.file]);
  assert.is((await api.request('GET', `/api/v1/product_image/${uploaded.pk}/`)).status, 404);
});

test('REST order changes are RPC positions; REST deletes leave the RPC list', async ({ api, session, sku, productPk, jpeg }) => {
  const first = await restUpload(api, productPk, jpeg, 0);
  const second = await restUpload(api, productPk, jpeg, 1);
  await api.request('PATCH', `/api/v1/product_image/${first.pk}/`, { body: { order: 4 } });
  const positions = (await callOk(api, session, 'product_media.list', [sku])).map((image: { position: number; url: string }) => [image.position, image.url]);
  assert.equal(positions, [[1, second.image], [4, first.image]]);
  await api.request('DELETE', `/api/v1/product_image/${second.pk}/`);
  assert.equal((await callOk(api, session, 'product_media.list', [sku])).map((image: { url: string }) => image.url), [first.image]);
});

test('REST base special image is the RPC image type, both ways', async ({ api, session, sku, productPk, jpeg }) => {
  const first = await restUpload(api, productPk, jpeg, 0);
  const second = await restUpload(api, productPk, jpeg, 1);
  const made = await api.request('POST', `/api/v1/product_image/${first.pk}/make_special/`, { body: { special_image_type: 'base' } });
  assert.is(made.status, 200);
  let images = await callOk(api, session, 'product_media.list', [sku]);
  assert.equal(images.map((image: { types: string[] }) => image.types), [['image'], []]);
  // RPC moves the role to the second image: REST's base moves with it.
  await callOk(api, session, 'product_media.update', [sku, images[1].file, { types: ['image', 'thumbnail'] }]);
  images = await callOk(api, session, 'product_media.list', [sku]);
  assert.equal(images.map((image: { types: string[] }) => image.types), [[], ['image', 'thumbnail']]);
  const events = await api.service.eventStore.readStream(`productMedia-${productPk}`);
  const last = events[events.length - 1]!;
  assert.equal(last.data, { imagePk: second.pk, roles: ['image', 'thumbnail'], previousRoles: [], takenFrom: { image: first.pk } });
});

test('REST writes carry api rest, RPC writes api rpc', async ({ api, session, sku, productPk, jpeg }) => {
  await restUpload(api, productPk, jpeg, 0);
  await callOk(api, session, 'product_media.create', [sku, imageData(jpeg)]);
  const events = await api.service.eventStore.readStream(`productMedia-${productPk}`);
  assert.equal(events.map((event) => (event.metadata as { api: string }).api), ['rest', 'rpc']);
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';
import { callOk, imageBase64, login, registerProduct } from '../support/rpcClient.ts';

interface Context {
  api: TestService;
  session: string;
  sku: string;
  productPk: number;
  jpeg: Buffer;
}

const test = suite<Context>('product_image POST: ShipStream fields set at upload');
test.before(async (context) => {
  context.api = await startTestService({ env: { MEDIA_BASE_URL: 'https://cdn.example.com/media' } });
  context.session = await login(context.api);
  context.jpeg = Buffer.from(await imageBase64('jpeg'), 'base64');
});
test.before.each(async (context) => {
  context.sku = `FIELDS-${Math.random()}`;
  context.productPk = await registerProduct(context.api, context.sku);
});
test.after(async ({ api }) => api.stop());

async function upload(api: TestService, fields: Record<string, string>, image: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('image', new Blob([image], { type: 'image/jpeg' }), 'photo.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: TOKEN }, body: form });
  return { status: response.status, body: (await response.json()) as any };
}

test('label, exclude, types and file_name land as product_media.create would set them', async ({ api, session, sku, productPk, jpeg }) => {
  const created = await upload(api, { product: String(productPk), label: ' Front view ', exclude: 'true', types: 'image,small_image, thumbnail', file_name: 'front shot' }, jpeg);
  assert.is(created.status, 201);
  assert.equal(Object.keys(created.body), ['pk', 'product', 'image', 'order', 'source', 'modified_date', 'created_date', 'focal_point', 'special_image_types'], 'the representation is unchanged');
  assert.equal(created.body.special_image_types, ['base'], 'the image role is the base special image');
  const [image] = await callOk(api, session, 'product_media.list', [sku]);
  assert.equal(
    { file: image.file, label: image.label, exclude: image.exclude, types: image.types },
    { file: '/f/r/front_shot.jpg', label: ' Front view ', exclude: 1, types: ['image', 'thumbnail'] },
  );
});

test('a file_name another image took gets the first free suffix, as create gives it', async ({ api, session, sku, productPk, jpeg }) => {
  const other = `FIELDS-OTHER-${Math.random()}`;
  const otherPk = await registerProduct(api, other);
  assert.is((await upload(api, { product: String(otherPk), file_name: 'shared' }, jpeg)).status, 201);
  assert.is((await upload(api, { product: String(productPk), file_name: 'shared' }, jpeg)).status, 201);
  assert.is((await upload(api, { product: String(productPk), file_name: 'shared' }, jpeg)).status, 201);
  const files = (await callOk(api, session, 'product_media.list', [sku])).map((image: { file: string }) => image.file);
  assert.equal(files, ['/s/h/shared_1.jpg', '/s/h/shared_2.jpg']);
});

test('without the fields an upload is as before: no label, not excluded, no roles, a name from its key', async ({ api, session, sku, productPk, jpeg }) => {
  assert.is((await upload(api, { product: String(productPk) }, jpeg)).status, 201);
  const [image] = await callOk(api, session, 'product_media.list', [sku]);
  assert.equal({ label: image.label, exclude: image.exclude, types: image.types }, { label: '', exclude: 0, types: [] });
  assert.match(image.file, /^\/[0-9a-f]\/[0-9a-f]\/[0-9a-f-]{36}\.jpg$/);
});

test('bad values are DRF field errors, and nothing is stored', async ({ api, session, sku, productPk, jpeg }) => {
  const refused = await upload(api, { product: String(productPk), exclude: 'maybe', label: 'x'.repeat(256), file_name: 'y'.repeat(101) }, jpeg);
  assert.equal([refused.status, refused.body], [
    400,
    {
      exclude: ['Must be a valid boolean.'],
      label: ['Ensure this field has no more than 255 characters.'],
      file_name: ['Ensure this field has no more than 100 characters.'],
    },
  ]);
  assert.equal(await callOk(api, session, 'product_media.list', [sku]), []);
});

test.run();

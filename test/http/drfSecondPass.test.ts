import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

/** Issue 20, items 1–11: the REST answers as Django REST Framework and django-filter give them. */
const test = suite<{ api: TestService; jpeg: Buffer; mp4: Buffer }>('REST answers as DRF and django-filter give them');
test.before(async (context) => {
  context.api = await startTestService();
  context.jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a63' } }).jpeg().toBuffer();
  context.mp4 = await readFile(new URL('../fixtures/minimal.mp4', import.meta.url));
});
test.after(async ({ api }) => api.stop());

let skus = 0;
async function newProduct(api: TestService): Promise<number> {
  const created = await api.request('POST', '/api/v1/products/', { body: { sku: `DRF2-${++skus}` } });
  assert.is(created.status, 201);
  return created.body.pk;
}

async function postForm(api: TestService, path: string, fields: Record<string, string | Buffer>, type = 'image/jpeg') {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') data.append(name, value);
    else data.append(name, new Blob([value], { type }), type === 'video/mp4' ? 'clip.mp4' : 'photo.jpg');
  }
  const response = await fetch(`${api.service.url}${path}`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  return { status: response.status, body: (await response.json()) as any };
}

/** A request with any method (fetch refuses TRACE) and any Authorization header. */
function rawRequest(api: TestService, method: string, path: string, authorization: string): Promise<{ status: number; allow: string | undefined; body: any }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${api.service.url}${path}`, { method, headers: { authorization } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: response.statusCode ?? 0, allow: response.headers.allow, body: text === '' ? undefined : JSON.parse(text) });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

async function storeUnchanged(api: TestService, probe: () => Promise<void>) {
  const before = await api.mark();
  await probe();
  assert.is(await api.mark(), before, 'no event was appended');
}

const json = { 'content-type': 'application/json' };

test('1. a JSON null body is "No data provided" and a number or list body names its type, alone', async ({ api }) => {
  await storeUnchanged(api, async () => {
    for (const path of ['/api/v1/product_image/', '/api/v1/product_video/']) {
      const nothing = await api.request('POST', path, { rawBody: 'null', headers: json });
      assert.equal([nothing.status, nothing.body], [400, { non_field_errors: ['No data provided'] }], path);
      for (const [rawBody, type] of [['3', 'int'], ['[1]', 'list'], ['"x"', 'str']]) {
        const wrong = await api.request('POST', path, { rawBody, headers: json });
        assert.equal([wrong.status, wrong.body], [400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`] }], `${path} ${rawBody}`);
      }
    }
  });
});

test('2. keys a serializer does not declare are ignored on create and update', async ({ api }) => {
  const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'DRF2-COLOUR', colour: 'red' } });
  assert.equal([created.status, created.body.sku, 'colour' in created.body], [201, 'DRF2-COLOUR', false]);
  const patched = await api.request('PATCH', `/api/v1/products/${created.body.pk}/`, { body: { name: 'Named', extra: 1 } });
  assert.equal([patched.status, patched.body.name], [200, 'Named']);
});

test('3. empty form values of optional fields count as not given: order takes its default, source is null', async ({ api, jpeg }) => {
  const productPk = await newProduct(api);
  const first = await postForm(api, '/api/v1/product_image/', { image: jpeg, product: String(productPk), order: '', source: '' });
  assert.equal([first.status, first.body.order, first.body.source], [201, 0, null]);
  const form = await api.request('POST', '/api/v1/products/', {
    rawBody: 'sku=DRF2-FORM&name=&media_enabled=',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal([form.status, form.body.media_enabled], [201, true], 'an empty optional boolean takes its default');
  // In JSON an empty string is a value, and refused as one.
  const jsonOrder = await api.request('POST', '/api/v1/product_image/', { body: { product: productPk, order: '' } });
  assert.equal(jsonOrder.body.order, ['A valid integer is required.']);
});

test('4. an upload without order goes after the product\'s last one (0 for the first), images and videos alike', async ({ api, jpeg, mp4 }) => {
  const productPk = await newProduct(api);
  const upload = async (fields: Record<string, string>) => postForm(api, '/api/v1/product_image/', { image: jpeg, product: String(productPk), ...fields });
  assert.is((await upload({})).body.order, 0);
  assert.is((await upload({})).body.order, 1);
  assert.is((await upload({ order: '7' })).body.order, 7);
  const last = await upload({});
  assert.is(last.body.order, 8);
  assert.is((await api.request('DELETE', `/api/v1/product_image/${last.body.pk}/`)).status, 204);
  assert.is((await upload({})).body.order, 8, 'after the last live image');
  const other = await newProduct(api);
  assert.is((await postForm(api, '/api/v1/product_image/', { image: jpeg, product: String(other) })).body.order, 0, 'per product');

  const video = async (fields: Record<string, string> = {}) => postForm(api, '/api/v1/product_video/', { video: mp4, product: String(productPk), ...fields }, 'video/mp4');
  assert.is((await video()).body.order, 0, 'videos have their own order');
  assert.is((await video({ order: '4' })).body.order, 4);
  assert.is((await video()).body.order, 5);
});

test('5. product filters naming no product (or no pk) are django-filter 400s', async ({ api }) => {
  const productPk = await newProduct(api);
  const invalid = 'Select a valid choice. That choice is not one of the available choices.';
  for (const resource of ['product_image', 'product_video']) {
    for (const value of ['999999999', 'abc', '-1']) {
      const one = await api.request('GET', `/api/v1/${resource}/?product=${value}`);
      assert.equal([one.status, one.body], [400, { product: [invalid] }], `${resource} product=${value}`);
    }
    for (const value of [`${productPk},999999999`, `${productPk},x`]) {
      const many = await api.request('GET', `/api/v1/${resource}/?product__in=${value}`);
      assert.equal([many.status, many.body], [400, { product__in: [invalid] }], `${resource} product__in=${value}`);
    }
    const known = await api.request('GET', `/api/v1/${resource}/?product=${productPk}&product__in=${productPk}`);
    assert.equal([known.status, known.body.count], [200, 0]);
  }
  // A pk refused before its product exists is found once it does (only found pks are remembered).
  assert.is((await api.request('GET', '/api/v1/product_image/?product=777777')).status, 400);
  assert.is((await api.request('POST', '/api/v1/products/', { body: { sku: 'DRF2-LATE', pk: 777777 } })).status, 201);
  assert.is((await api.request('GET', '/api/v1/product_image/?product=777777')).status, 200);
});

test('6. ordering by a field outside the allowed ones is ignored, the valid ones kept', async ({ api, jpeg }) => {
  const productPk = await newProduct(api);
  const a = await postForm(api, '/api/v1/product_image/', { image: jpeg, product: String(productPk), order: '2' });
  const b = await postForm(api, '/api/v1/product_image/', { image: jpeg, product: String(productPk), order: '1' });
  const pks = async (query: string) => {
    const response = await api.request('GET', `/api/v1/product_image/?product=${productPk}&${query}`);
    assert.is(response.status, 200, query);
    return response.body.results.map((image: { pk: number }) => image.pk);
  };
  assert.equal(await pks('ordering=colour'), [b.body.pk, a.body.pk], 'unknown only: the default order');
  assert.equal(await pks('ordering=colour,-order'), [a.body.pk, b.body.pk], 'unknown dropped, -order kept');
  assert.equal(await pks('sort=-pk,nope'), [b.body.pk, a.body.pk]);
});

test('7. the login password is not trimmed, and the Token keyword may be followed by any whitespace', async ({ api }) => {
  const login = (password: string) => api.request('POST', '/api/v1/auth/login/', { auth: null, body: { username: 'erp', password } });
  const trailing = await login('erp-key-0123456789abcdef ');
  assert.equal([trailing.status, trailing.body], [400, { non_field_errors: ['Unable to log in with provided credentials.'] }]);
  const exact = await login('erp-key-0123456789abcdef');
  assert.equal([exact.status, exact.body], [200, { key: 'erp-key-0123456789abcdef' }]);
  const username = await api.request('POST', '/api/v1/auth/login/', { auth: null, body: { username: ' erp ', password: 'erp-key-0123456789abcdef' } });
  assert.is(username.status, 200, 'the username is trimmed');

  const tab = await rawRequest(api, 'GET', '/api/v1/products/', 'Token\terp-key-0123456789abcdef');
  assert.is(tab.status, 200);
  const tabInside = await rawRequest(api, 'GET', '/api/v1/products/', 'Token erp-key\t0123456789abcdef');
  assert.equal([tabInside.status, tabInside.body], [401, { detail: 'Invalid token header. Token string should not contain spaces.' }]);
});

const METADATA_MEDIA = {
  renders: ['application/json'],
  parses: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'],
};

test('8. OPTIONS answers DRF\'s metadata: view name, renders, parses, and the POST serializer\'s fields', async ({ api }) => {
  const productPk = await newProduct(api);
  await storeUnchanged(api, async () => {
    const list = await api.request('OPTIONS', '/api/v1/product_image/');
    assert.is(list.status, 200);
    assert.equal(list.headers.get('allow')?.split(', ').sort(), ['GET', 'HEAD', 'OPTIONS', 'POST']);
    assert.equal(list.body, {
      name: 'Product Image List',
      description: '',
      ...METADATA_MEDIA,
      actions: {
        POST: {
          pk: { type: 'integer', required: false, read_only: true, label: 'ID' },
          product: { type: 'field', required: true, read_only: false, label: 'Product' },
          image: { type: 'image upload', required: true, read_only: false, label: 'Image' },
          order: { type: 'integer', required: false, read_only: false, label: 'Order', min_value: 0, max_value: 2147483647 },
          source: {
            type: 'choice',
            required: false,
            read_only: false,
            label: 'Source',
            choices: [
              { value: 'integration', display_name: 'integration' },
              { value: 'unified', display_name: 'unified' },
            ],
          },
          // ShipStream's product_media fields, set at upload (galleryFileFields.ts).
          label: { type: 'string', required: false, read_only: false, label: 'Label', max_length: 255 },
          exclude: { type: 'boolean', required: false, read_only: false, label: 'Exclude' },
          types: { type: 'string', required: false, read_only: false, label: 'Types' },
          file_name: { type: 'string', required: false, read_only: false, label: 'File name', max_length: 100 },
          modified_date: { type: 'datetime', required: false, read_only: true, label: 'Modified date' },
          created_date: { type: 'datetime', required: false, read_only: true, label: 'Created date' },
          focal_point: { type: 'nested object', required: false, read_only: true, label: 'Focal point' },
          special_image_types: { type: 'list', required: false, read_only: true, label: 'Special image types' },
        },
      },
    });
    // A detail view takes no POST (and no PUT): no actions, as SimpleMetadata answers it.
    const detail = await api.request('OPTIONS', '/api/v1/product_image/1/');
    assert.equal([detail.status, detail.body], [200, { name: 'Product Image Instance', description: '', ...METADATA_MEDIA }]);
    assert.equal(detail.headers.get('allow')?.split(', ').sort(), ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']);

    const products = await api.request('OPTIONS', '/api/v1/products/');
    assert.equal(Object.keys(products.body.actions.POST), ['pk', 'sku', 'name', 'media_enabled', 'created_date', 'modified_date']);
    assert.equal(products.body.actions.POST.sku, { type: 'string', required: true, read_only: false, label: 'SKU', max_length: 128 });
    assert.equal(products.body.actions.POST.media_enabled, { type: 'boolean', required: false, read_only: false, label: 'Media enabled' });
    assert.equal((await api.request('OPTIONS', `/api/v1/products/${productPk}/`)).body.name, 'Product Instance');
    const videos = await api.request('OPTIONS', '/api/v1/product_video/');
    assert.equal([videos.body.name, videos.body.actions.POST.video], ['Product Video List', { type: 'file upload', required: true, read_only: false, label: 'Video' }]);
    const settings = await api.request('OPTIONS', '/api/v1/dynamic_settings/');
    assert.equal(settings.body.actions.POST.value, { type: 'field', required: true, read_only: false, label: 'Value' });
    const action = await api.request('OPTIONS', '/api/v1/product_image/1/make_special/');
    assert.equal([action.status, action.body], [200, { name: 'Make special', description: '', ...METADATA_MEDIA }]);
    assert.equal(action.headers.get('allow')?.split(', ').sort(), ['OPTIONS', 'POST']);
  });
});

test('9. methods a view does not support are 405 with DRF text and Allow, never 501', async ({ api }) => {
  await storeUnchanged(api, async () => {
    for (const method of ['TRACE', 'PURGE', 'LINK']) {
      const response = await rawRequest(api, method, '/api/v1/product_image/', TOKEN);
      assert.equal([response.status, response.body], [405, { detail: `Method "${method}" not allowed.` }], method);
      assert.equal(response.allow?.split(', ').sort(), ['GET', 'HEAD', 'OPTIONS', 'POST'], method);
    }
    const detail = await rawRequest(api, 'TRACE', '/api/v1/products/1/', TOKEN);
    assert.equal([detail.status, detail.allow?.split(', ').sort()], [405, ['GET', 'HEAD', 'OPTIONS', 'PATCH']]);
    const nowhere = await rawRequest(api, 'TRACE', '/api/v1/nowhere/', TOKEN);
    assert.equal([nowhere.status, nowhere.body], [404, { detail: 'Not found.' }]);
  });
});

test('11. every image says which special image it is, and the list filters on it', async ({ api, jpeg }) => {
  const productPk = await newProduct(api);
  const first = await postForm(api, '/api/v1/product_image/', { image: jpeg, product: String(productPk) });
  const second = await postForm(api, '/api/v1/product_image/', { image: jpeg, product: String(productPk) });
  assert.equal([first.body.special_image_types, second.body.special_image_types], [[], []]);
  const special = await api.request('POST', `/api/v1/product_image/${second.body.pk}/make_special/`, { body: { special_image_type: 'base' } });
  assert.equal([special.status, special.body], [200, { special_image_type: 'base' }]);
  assert.equal((await api.request('GET', `/api/v1/product_image/${second.body.pk}/`)).body.special_image_types, ['base']);
  assert.equal((await api.request('GET', `/api/v1/product_image/${first.body.pk}/`)).body.special_image_types, []);

  const base = await api.request('GET', `/api/v1/product_image/?product=${productPk}&special_image_type=base`);
  assert.equal([base.status, base.body.count, base.body.results[0].pk], [200, 1, second.body.pk]);
  const moved = await api.request('POST', `/api/v1/product_image/${first.body.pk}/make_special/`, { body: { special_image_type: 'base' } });
  assert.is(moved.status, 200);
  const after = await api.request('GET', `/api/v1/product_image/?product=${productPk}&special_image_type=base`);
  assert.equal(after.body.results.map((image: { pk: number }) => image.pk), [first.body.pk]);
  const all = await api.request('GET', `/api/v1/product_image/?product=${productPk}`);
  assert.equal(all.body.results.map((image: { special_image_types: string[] }) => image.special_image_types), [['base'], []]);
  const bad = await api.request('GET', '/api/v1/product_image/?special_image_type=main');
  assert.equal([bad.status, bad.body], [400, { special_image_type: ['Select a valid choice. main is not one of the available choices.'] }]);
});

test.run();

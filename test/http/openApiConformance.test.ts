import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { uploadImage } from '../history/historySupport.ts';
import { conformance, type OpenApi } from '../support/openApiConformance.ts';
import { registerProduct } from '../support/rpcClient.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService; check: ReturnType<typeof conformance>; document: OpenApi }>('answers match the OpenAPI document (as Prism checks them)');
test.before(async (context) => {
  context.api = await startTestService();
  context.document = (await context.api.request('GET', '/api/schema/', { auth: null })).body;
  context.check = conformance(context.document);
});
test.after(async ({ api }) => api.stop());

const sku = () => `OAS-${Math.random().toString(36).slice(2, 10)}`;

test('every protected route answers a documented 401 without credentials', async ({ api, document, check }) => {
  let checked = 0;
  for (const route of api.service.routes) {
    const [method, path] = route.split(' ') as [string, string];
    const operation = (document.paths[path] as any)?.[method.toLowerCase()];
    const security: object[] = operation?.security ?? [{ TokenAuth: [] }];
    if (security.length === 0 || !security.every((requirement) => 'TokenAuth' in requirement)) continue;
    const concrete = path.replace(/\{\w+\}/g, '1');
    const response = await api.request(method, concrete, { auth: null });
    assert.is(response.status, 401, `${route}: ${response.text}`);
    // OPTIONS (DRF's metadata) is described in the document's description, not as operations.
    if (method === 'OPTIONS') continue;
    check.response(method, path, response);
    checked += 1;
  }
  assert.ok(checked > 20, `${checked} routes checked`);
});

test("replace's 400 with nested list errors matches the document", async ({ api, check }) => {
  const productPk = await registerProduct(api, sku());
  const path = '/api/v1/downloadable_image/{product_pk}/replace/';
  const response = await api.request('POST', `/api/v1/downloadable_image/${productPk}/replace/`, { body: { images: [{ url: 'https://erp.example.com/a.jpg' }, { order: -1 }] } });
  assert.equal([response.status, response.body], [400, { images: [{}, { url: ['This field is required.'], order: ['Ensure this value is greater than or equal to 0.'] }] }]);
  check.response('POST', path, response);
});

test("restore's 400 {detail} matches the document", async ({ api, check }) => {
  const productPk = await registerProduct(api, sku());
  const image = await uploadImage(api, productPk);
  const response = await api.request('POST', `/api/v1/product_image/${image.pk}/restore/`);
  assert.equal([response.status, response.body], [400, { detail: `Image ${image.pk} is not deleted.` }]);
  check.response('POST', '/api/v1/product_image/{pk}/restore/', response);
});

test('the 422 of a reused Idempotency-Key matches the document', async ({ api, check }) => {
  const headers = { 'idempotency-key': `key-${sku()}` };
  const first = await api.request('POST', '/api/v1/products/', { body: { sku: sku() }, headers });
  assert.is(first.status, 201);
  check.response('POST', '/api/v1/products/', first);
  const reused = await api.request('POST', '/api/v1/products/', { body: { sku: sku() }, headers });
  assert.equal([reused.status, reused.body], [422, { detail: 'This Idempotency-Key was already used with a different request.' }]);
  check.response('POST', '/api/v1/products/', reused);
});

test('PATCH /products/{pk}/ with {name} only is a documented request and answer', async ({ api, check }) => {
  const productPk = await registerProduct(api, sku());
  const body = { name: 'Desk lamp' };
  check.requestBody('PATCH', '/api/v1/products/{pk}/', body);
  const response = await api.request('PATCH', `/api/v1/products/${productPk}/`, { body });
  assert.equal([response.status, response.body.name], [200, 'Desk lamp']);
  check.response('PATCH', '/api/v1/products/{pk}/', response);
});

test('a JSON-RPC batch (array) is a documented request and its list answer a documented response', async ({ api, check }) => {
  const { name, key } = TEST_USERS[0]!;
  const batch = [
    { jsonrpc: '2.0', id: 1, method: 'login', params: [name, key] },
    { jsonrpc: '2.0', id: 2, method: 'product_media.types', params: [null, 'no-such-sku'] },
  ];
  check.requestBody('POST', '/api/jsonrpc', batch);
  const response = await api.request('POST', '/api/jsonrpc', { body: batch, auth: null });
  assert.is(response.status, 200);
  assert.equal(response.body.map((answer: { id: number }) => answer.id), [1, 2]);
  check.response('POST', '/api/jsonrpc', response);
});

test.run();

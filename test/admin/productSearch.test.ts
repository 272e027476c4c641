import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('products list ?search= (the admin search as you type)');
test.before(async (context) => {
  context.api = await startTestService();
  for (const product of [
    { sku: 'LAMP-1', name: 'Desk lamp' },
    { sku: 'LAMP-2', name: 'Floor lamp' },
    { sku: 'CHAIR-9', name: 'Office chair with lamp holder' },
    { sku: 'TABLE-3', name: 'Dining table' },
  ]) {
    const response = await context.api.request('POST', '/api/v1/products/', { body: product });
    assert.is(response.status, 201);
  }
});
test.after(async ({ api }) => api.stop());

const skus = (body: { results: Array<{ sku: string }> }) => body.results.map((product) => product.sku);

test('search finds a part of the SKU or of the name, in any case, in pk order', async ({ api }) => {
  const byName = await api.request('GET', '/api/v1/products/?search=LaMp');
  assert.is(byName.status, 200);
  assert.equal(skus(byName.body), ['LAMP-1', 'LAMP-2', 'CHAIR-9']);
  assert.is(byName.body.count, 3);
  assert.equal(skus((await api.request('GET', '/api/v1/products/?search=able-3')).body), ['TABLE-3']);
  assert.equal(skus((await api.request('GET', '/api/v1/products/?search=dining')).body), ['TABLE-3']);
});

test('search pages like every list, and combines with the other filters', async ({ api }) => {
  const page = await api.request('GET', '/api/v1/products/?search=lamp&limit=2&page=2');
  assert.equal(skus(page.body), ['CHAIR-9']);
  assert.is(page.body.count, 3);
  assert.is(page.body.next, null);
  assert.is(page.body.previous, 'https://omnitron.example.com/api/v1/products/?search=lamp&limit=2');
  assert.equal(skus((await api.request('GET', '/api/v1/products/?search=lamp&sku=LAMP-2')).body), ['LAMP-2']);
});

test('a search that matches nothing is an empty page; a blank one lists everything', async ({ api }) => {
  const none = await api.request('GET', '/api/v1/products/?search=sofa');
  assert.equal(none.body, { count: 0, next: null, previous: null, results: [] });
  assert.is((await api.request('GET', '/api/v1/products/?search=%20')).body.count, 4);
});

test('a product registered or renamed after a search is found by the next one', async ({ api }) => {
  assert.equal(skus((await api.request('GET', '/api/v1/products/?search=sofa')).body), []);
  const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'SOFA-1', name: 'Corner sofa' } });
  assert.equal(skus((await api.request('GET', '/api/v1/products/?search=sofa')).body), ['SOFA-1']);
  await api.request('PATCH', `/api/v1/products/${created.body.pk}/`, { body: { name: 'Armchair' } });
  assert.equal(skus((await api.request('GET', '/api/v1/products/?search=armchair')).body), ['SOFA-1']);
  assert.equal(skus((await api.request('GET', '/api/v1/products/?search=corner')).body), []);
});

test('search needs credentials like the rest of the API', async ({ api }) => {
  const response = await api.request('GET', '/api/v1/products/?search=lamp', { auth: null });
  assert.is(response.status, 401);
  assert.equal(response.body, { detail: 'Authentication credentials were not provided.' });
});

test.run();

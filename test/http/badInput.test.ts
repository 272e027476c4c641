import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService; pk: number }>('bad input on the REST surface');
test.before(async (context) => {
  context.api = await startTestService();
  const created = await context.api.request('POST', '/api/v1/products/', { body: { sku: 'BASE', name: 'Base' } });
  context.pk = created.body.pk;
});
test.after(async ({ api }) => api.stop());

const routes = (pk: number) => [
  ['GET', '/api/v1/products/'],
  ['POST', '/api/v1/products/'],
  ['GET', `/api/v1/products/${pk}/`],
  ['PATCH', `/api/v1/products/${pk}/`],
  ['GET', '/api/v1/does-not-exist/'],
] as const;

/** Runs `probe` and checks the catalog's events did not change. */
async function storeUnchanged(api: TestService, probe: () => Promise<void>) {
  const before = await api.mark();
  await probe();
  assert.is(await api.mark(), before, 'no event was appended');
}

test('every route refuses missing or bad credentials with DRF 401 texts', async ({ api, pk }) => {
  const cases: Array<[string | null, string]> = [
    [null, 'Authentication credentials were not provided.'],
    ['Bearer abc', 'Authentication credentials were not provided.'],
    ['Token', 'Invalid token header. No credentials provided.'],
    ['Token a b', 'Invalid token header. Token string should not contain spaces.'],
    ['Token wrong-key', 'Invalid token.'],
  ];
  await storeUnchanged(api, async () => {
    for (const [method, path] of routes(pk)) {
      for (const [auth, detail] of cases) {
        const response = await api.request(method, path, { auth, ...(method === 'GET' ? {} : { body: { sku: 'x' } }) });
        assert.is(response.status, 401, `${method} ${path} ${auth}`);
        assert.equal(response.body, { detail });
        assert.is(response.headers.get('www-authenticate'), 'Token');
      }
    }
  });
});

test('no spelling of a path gets past authentication, and other spellings are not routed', async ({ api, pk }) => {
  await storeUnchanged(api, async () => {
    for (const path of ['/API/v1/products/', `/Api/V1/Products/${pk}/`, '/api/V1/product_image/']) {
      const anonymous = await api.request('GET', path, { auth: null });
      assert.is(anonymous.status, 401, `anonymous ${path}`);
      const authenticated = await api.request('GET', path);
      assert.is(authenticated.status, 404, `authenticated ${path}`);
      assert.equal(authenticated.body, { detail: 'Not found.' });
    }
    // Spellings of /media are the delivery origin's: public, so they name nothing to anyone.
    for (const path of ['/MEDIA/products/x.jpg', '/Media/x', '/media']) {
      for (const auth of [null, undefined]) {
        const response = await api.request('GET', path, { auth });
        assert.equal([response.status, response.body], [404, { detail: 'Not found.' }], path);
      }
    }
  });
});

test('the token keyword is case-insensitive', async ({ api }) => {
  const response = await api.request('GET', '/api/v1/products/', { auth: 'token erp-key-0123456789abcdef' });
  assert.is(response.status, 200);
});

test('malformed JSON is a 400 with a parse error detail', async ({ api, pk }) => {
  await storeUnchanged(api, async () => {
    for (const [method, path] of [['POST', '/api/v1/products/'], ['PATCH', `/api/v1/products/${pk}/`]] as const) {
      for (const rawBody of ['{"sku":', '{sku: 1}', '[1,', '\u0000']) {
        const response = await api.request(method, path, { rawBody, headers: { 'content-type': 'application/json' } });
        assert.is(response.status, 400, `${method} ${rawBody}`);
        assert.match(response.body.detail, /^JSON parse error - /);
      }
    }
  });
});

test('bodies that are not objects name the type they got', async ({ api }) => {
  await storeUnchanged(api, async () => {
    for (const [body, type] of [[[1], 'list'], ['x', 'str'], [3, 'int'], [1.5, 'float'], [true, 'bool']] as const) {
      const response = await api.request('POST', '/api/v1/products/', { rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      assert.is(response.status, 400);
      assert.equal(response.body, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`] });
    }
    // DRF's Serializer.errors turns data=None into "No data provided".
    const nothing = await api.request('POST', '/api/v1/products/', { rawBody: 'null', headers: { 'content-type': 'application/json' } });
    assert.equal([nothing.status, nothing.body], [400, { non_field_errors: ['No data provided'] }]);
  });
});

test('an empty body is empty data, whatever its content type (DRF parses no stream)', async ({ api, pk }) => {
  await storeUnchanged(api, async () => {
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const created = await api.request('POST', '/api/v1/products/', { rawBody: '', headers: { 'content-type': type } });
      assert.equal([created.status, created.body], [400, { sku: ['This field is required.'] }], type);
      const patched = await api.request('PATCH', `/api/v1/products/${pk}/`, { rawBody: '', headers: { 'content-type': type } });
      assert.is(patched.status, 200, type);
    }
  });
});

test('a lone surrogate or a null character in text is a field error, never a 500 or altered text', async ({ api, pk }) => {
  await storeUnchanged(api, async () => {
    const json = { 'content-type': 'application/json' };
    const loneSurrogate = await api.request('POST', '/api/v1/products/', { rawBody: '{"sku": "A\\ud800B"}', headers: json });
    assert.equal([loneSurrogate.status, loneSurrogate.body], [400, { sku: ['Surrogate characters are not allowed: U+D800.'] }]);
    const nul = await api.request('POST', '/api/v1/products/', { rawBody: '{"sku": "A\\u0000B"}', headers: json });
    assert.equal([nul.status, nul.body], [400, { sku: ['Null characters are not allowed.'] }]);
    const name = await api.request('PATCH', `/api/v1/products/${pk}/`, { rawBody: '{"name": "\\ud83d\\ude00 \\udfff"}', headers: json });
    assert.equal([name.status, name.body], [400, { name: ['Surrogate characters are not allowed: U+DFFF.'] }]);
  });
  const paired = await api.request('POST', '/api/v1/products/', { rawBody: '{"sku": "EMOJI-\\ud83d\\ude00"}', headers: { 'content-type': 'application/json' } });
  assert.equal([paired.status, paired.body.sku], [201, 'EMOJI-😀']);
});

test('wrong types get field errors, all at once; unknown fields are ignored, as DRF ignores them', async ({ api, pk }) => {
  await storeUnchanged(api, async () => {
    const created = await api.request('POST', '/api/v1/products/', {
      body: { sku: ['x'], name: { a: 1 }, media_enabled: 'maybe', pk: 'one', colour: 'red' },
    });
    assert.is(created.status, 400);
    assert.equal(created.body, {
      pk: ['A valid integer is required.'],
      sku: ['Not a valid string.'],
      name: ['Not a valid string.'],
      media_enabled: ['Must be a valid boolean.'],
    });
    const missing = await api.request('POST', '/api/v1/products/', { body: {} });
    assert.equal(missing.body, { sku: ['This field is required.'] });
    const blank = await api.request('POST', '/api/v1/products/', { body: { sku: '  ', pk: 0 } });
    assert.equal(blank.body, { pk: ['Ensure this value is greater than or equal to 1.'], sku: ['This field may not be blank.'] });
    const nulls = await api.request('POST', '/api/v1/products/', { body: { sku: null } });
    assert.equal(nulls.body, { sku: ['This field may not be null.'] });
    const long = await api.request('POST', '/api/v1/products/', { body: { sku: 'x'.repeat(129) } });
    assert.equal(long.body, { sku: ['Ensure this field has no more than 128 characters.'] });
    const patch = await api.request('PATCH', `/api/v1/products/${pk}/`, { body: { media_enabled: 2, extra: 1 } });
    assert.is(patch.status, 400);
    assert.equal(patch.body, { media_enabled: ['Must be a valid boolean.'] });
  });
});

test('an oversized body is a 413 and an unsupported media type a 415', async ({ api }) => {
  await storeUnchanged(api, async () => {
    const huge = await api.request('POST', '/api/v1/products/', { rawBody: `{"sku":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    assert.is(huge.status, 413);
    assert.equal(huge.body, { detail: 'Request body is too large.' });
    const text = await api.request('POST', '/api/v1/products/', { rawBody: 'sku=1', headers: { 'content-type': 'text/plain' } });
    assert.is(text.status, 415);
    assert.equal(text.body, { detail: 'Unsupported media type "text/plain" in request.' });
  });
});

test('form-encoded bodies work as in DRF', async ({ api }) => {
  const response = await api.request('POST', '/api/v1/products/', { rawBody: 'sku=FORM-1&name=Form&media_enabled=false', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(response.status, 201);
  assert.is(response.body.media_enabled, false);
});

test('unsupported methods are 405 with DRF text and Allow', async ({ api, pk }) => {
  await storeUnchanged(api, async () => {
    const put = await api.request('PUT', `/api/v1/products/${pk}/`, { body: { sku: 'x' } });
    assert.is(put.status, 405);
    assert.equal(put.body, { detail: 'Method "PUT" not allowed.' });
    const allowed = (response: { headers: Headers }) => (response.headers.get('allow') ?? '').split(', ').sort();
    assert.equal(allowed(put), ['GET', 'HEAD', 'OPTIONS', 'PATCH']);
    const del = await api.request('DELETE', '/api/v1/products/');
    assert.is(del.status, 405);
    assert.equal(allowed(del), ['GET', 'HEAD', 'OPTIONS', 'POST']);
    // OPTIONS is answered (DRF lists it in every Allow), with credentials like any other method.
    const options = await api.request('OPTIONS', '/api/v1/product_image/');
    assert.equal([options.status, allowed(options)], [200, ['GET', 'HEAD', 'OPTIONS', 'POST']]);
    assert.is((await api.request('OPTIONS', '/api/v1/product_image/', { auth: null })).status, 401);
  });
});

test('login hands out the key for valid credentials and refuses others', async ({ api }) => {
  const ok = await api.request('POST', '/api/v1/auth/login/', { auth: null, body: { username: 'erp', password: 'erp-key-0123456789abcdef' } });
  assert.is(ok.status, 200);
  assert.equal(ok.body, { key: 'erp-key-0123456789abcdef' });
  const wrong = await api.request('POST', '/api/v1/auth/login/', { auth: null, body: { username: 'erp', password: 'backoffice-key-0123456789' } });
  assert.is(wrong.status, 400);
  assert.equal(wrong.body, { non_field_errors: ['Unable to log in with provided credentials.'] });
  const missing = await api.request('POST', '/api/v1/auth/login/', { auth: null, body: { username: 'erp' } });
  assert.equal(missing.body, { password: ['This field is required.'] });
});

test('health and readiness answer without credentials', async ({ api }) => {
  const health = await api.request('GET', '/health', { auth: null });
  assert.equal([health.status, health.body], [200, { status: 'ok' }]);
  const ready = await api.request('GET', '/ready', { auth: null });
  assert.equal([ready.status, ready.body], [200, { status: 'ready' }]);
});

test('the stored catalog survives the whole corpus', async ({ api, pk }) => {
  const detail = await api.request('GET', `/api/v1/products/${pk}/`);
  assert.is(detail.body.sku, 'BASE');
  assert.is(detail.body.name, 'Base');
});

test.run();

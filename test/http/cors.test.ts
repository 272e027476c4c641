import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { startTestService, type TestService } from '../support/testService.ts';

const ORIGIN = 'https://admin.example.com';

const test = suite<{ api: TestService }>('CORS with CORS_ORIGINS');
test.before(async (context) => {
  context.api = await startTestService({ env: { CORS_ORIGINS: `${ORIGIN}, https://other.example.com:8443` } });
});
test.after(async ({ api }) => api.stop());

test('a preflight from an allowed origin is answered without credentials', async ({ api }) => {
  const response = await api.request('OPTIONS', '/api/v1/products/', {
    auth: null,
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  assert.is(response.status, 204);
  assert.is(response.headers.get('access-control-allow-origin'), ORIGIN);
  assert.is(response.headers.get('access-control-allow-methods'), 'GET, HEAD, POST, PUT, PATCH, DELETE');
  assert.match(response.headers.get('access-control-allow-headers') ?? '', /^Authorization, Content-Type, /);
  assert.is(response.headers.get('access-control-max-age'), '600');
  assert.is(response.headers.get('access-control-allow-credentials'), null);
  assert.is(response.headers.get('vary'), 'Origin');
});

test('a request from an allowed origin gets the headers, and still needs credentials', async ({ api }) => {
  const refused = await api.request('GET', '/api/v1/products/', { auth: null, headers: { origin: 'https://other.example.com:8443' } });
  assert.is(refused.status, 401);
  assert.is(refused.headers.get('access-control-allow-origin'), 'https://other.example.com:8443');
  const served = await api.request('GET', '/api/v1/products/', { headers: { origin: ORIGIN } });
  assert.is(served.status, 200);
  assert.is(served.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(served.headers.get('access-control-expose-headers') ?? '', /ETag, Location/);
});

test('another origin gets no CORS header, and its preflight is not answered', async ({ api }) => {
  const preflight = await api.request('OPTIONS', '/api/v1/products/', { auth: null, headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'DELETE' } });
  assert.is(preflight.status, 401);
  assert.is(preflight.headers.get('access-control-allow-origin'), null);
  assert.is(preflight.headers.get('vary'), 'Origin');
});

test.run();

const unset = suite('CORS without CORS_ORIGINS');

unset('no CORS header at all', async () => {
  const api = await startTestService();
  try {
    const response = await api.request('GET', '/api/v1/products/', { headers: { origin: ORIGIN } });
    assert.is(response.status, 200);
    assert.is(response.headers.get('access-control-allow-origin'), null);
    const preflight = await api.request('OPTIONS', '/api/v1/products/', { auth: null, headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    assert.is(preflight.status, 401);
  } finally {
    await api.stop();
  }
});

unset('a bad CORS_ORIGINS entry is a configuration error naming it', () => {
  try {
    loadConfig({ CORS_ORIGINS: 'https://ok.example.com,admin.example.com,https://x.example.com/path' });
    assert.unreachable('no error');
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.equal((error as ConfigError).problems, [
      'CORS_ORIGINS entries must be origins such as https://admin.example.com (scheme, host, optional port) or *, got "admin.example.com"',
      'CORS_ORIGINS entries must be origins such as https://admin.example.com (scheme, host, optional port) or *, got "https://x.example.com/path"',
    ]);
  }
});

unset.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('the public API reference');
test.before(async (context) => {
  context.api = await startTestService();
});
test.after(async ({ api }) => api.stop());

test('/api/schema/ and /api/asyncapi.yaml are readable without credentials; the rest of /api/ is not', async ({ api }) => {
  const schema = await api.request('GET', '/api/schema/', { auth: null });
  assert.equal([schema.status, schema.body.openapi], [200, '3.1.0']);
  const asyncApi = await api.request('GET', '/api/asyncapi.yaml', { auth: null });
  assert.equal([asyncApi.status, asyncApi.text.startsWith('asyncapi: "3.0.0"')], [200, true]);
  assert.is((await api.request('GET', '/api/v1/products/', { auth: null })).status, 401);
  assert.is((await api.request('GET', '/api/docs/nothing-here.js', { auth: null })).status, 404);
  assert.is((await api.request('GET', '/api/schemas/', { auth: null })).status, 401, 'only the exact paths are open');
});

test('/api/docs/ is a Swagger UI page whose every file comes from the service, under a CSP without CDNs', async ({ api }) => {
  for (const path of ['/api/docs/', '/api/docs']) {
    const page = await api.request('GET', path, { auth: null });
    assert.is(page.status, 200, path);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.is(
      page.headers.get('content-security-policy'),
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' https://omnitron.example.com; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    assert.not.match(page.text, /https?:\/\//, 'no absolute URL: nothing from a CDN');
    assert.not.match(page.text, /<script>/, 'no inline script (the CSP allows none)');
    const files = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    assert.equal(files, ['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/init.js']);
  }
  const expected: Record<string, [RegExp, RegExp]> = {
    '/api/docs/swagger-ui.css': [/^text\/css/, /\.swagger-ui/],
    '/api/docs/swagger-ui-bundle.js': [/^text\/javascript/, /SwaggerUIBundle/],
    '/api/docs/init.js': [/^text\/javascript/, /url: '\/api\/schema\/'.*validatorUrl: null/],
  };
  for (const [path, [type, content]] of Object.entries(expected)) {
    const file = await api.request('GET', path, { auth: null });
    assert.is(file.status, 200, path);
    assert.match(file.headers.get('content-type') ?? '', type, path);
    assert.match(file.text, content, path);
  }
});

test.run();

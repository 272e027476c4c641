import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('OpenAPI document');
test.before(async (context) => {
  context.api = await startTestService();
});
test.after(async ({ api }) => api.stop());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

test('is OpenAPI 3.1, served at /api/schema/ without credentials', async ({ api }) => {
  const response = await api.request('GET', '/api/schema/', { auth: null });
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /openapi\+json/);
  assert.is(response.body.openapi, '3.1.0');
  assert.equal(response.body.servers, [{ url: 'https://omnitron.example.com' }]);
});

test('documents exactly the routes the application has', async ({ api }) => {
  const document = (await api.request('GET', '/api/schema/')).body as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(document.paths)
    .flatMap(([path, item]) => METHODS.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  const routed = [...api.service.routes].filter((route) => !route.startsWith('OPTIONS ')).sort();
  assert.equal(documented, routed);
});

test('every $ref resolves to a component schema', async ({ api }) => {
  const document = (await api.request('GET', '/api/schema/')).body as { components: { schemas: Record<string, unknown> } };
  const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((match) => match[1]!);
  assert.ok(refs.length > 10);
  for (const name of refs) assert.ok(name in document.components.schemas, `schema ${name}`);
});

test.run();

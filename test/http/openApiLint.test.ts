import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService; document: any }>('the public OpenAPI document, linted');
test.before(async (context) => {
  context.api = await startTestService();
  context.document = (await context.api.request('GET', '/api/schema/', { auth: null })).body;
});
test.after(async ({ api }) => api.stop());

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Warnings of the `spectral:oas` ruleset the document keeps on purpose: DRF's paths end in a slash
 * (Django's URLs do, and Omnitron clients call them so); a summary says what most operations do.
 */
const ACCEPTED_WARNINGS = new Set(['path-keys-no-trailing-slash', 'operation-description']);

test("Spectral's spectral:oas ruleset reports no error, and no warning but the accepted ones", async ({ document }) => {
  const spectral = new spectralCore.Spectral();
  spectral.setRuleset(spectralRulesets.oas as any);
  const results = await spectral.run(new spectralCore.Document(JSON.stringify(document, null, 2), spectralParsers.Json));
  const errors = results.filter((result) => result.severity === 0).map((result) => `${result.code} ${result.path.join('.')}: ${result.message}`);
  assert.equal(errors, []);
  const unexpected = results.filter((result) => result.severity === 1 && !ACCEPTED_WARNINGS.has(String(result.code)));
  assert.equal(unexpected.map((result) => `${result.code} ${result.path.join('.')}`), []);
  assert.ok(results.some((result) => result.code === 'path-keys-no-trailing-slash'), 'the ruleset ran over the paths');
});

test('every route of the routers has an operation with operationId, tags and summary', async ({ api, document }) => {
  const routes = [...api.service.routes].filter((route) => !route.startsWith('OPTIONS ') && !route.startsWith('HEAD '));
  assert.ok(routes.length > 25, 'routes come from the routers');
  const ids: string[] = [];
  for (const route of routes) {
    const [method, path] = route.split(' ') as [string, string];
    const operation = document.paths[path]?.[method.toLowerCase()];
    assert.ok(operation, `${route} has an operation`);
    assert.type(operation.operationId, 'string', `${route} operationId`);
    assert.ok(Array.isArray(operation.tags) && operation.tags.length > 0, `${route} tags`);
    assert.ok(typeof operation.summary === 'string' && operation.summary.length > 0, `${route} summary`);
    ids.push(operation.operationId);
  }
  assert.is(new Set(ids).size, ids.length, 'operationIds are unique');
  assert.is(document.paths['/api/v1/product_image/{pk}/make_special/'].post.operationId, 'product_image_make_special_create');
  assert.is(document.paths['/api/v1/product_image/'].get.operationId, 'product_image_list');
  assert.is(document.paths['/api/v1/products/{pk}/'].patch.operationId, 'products_partial_update');
  assert.equal(document.tags.map((tag: { name: string }) => tag.name).includes('product_image'), true);
});

test('every operation behind a token documents 401; every POST taking an Idempotency-Key documents 422', ({ document }) => {
  let protectedCount = 0;
  for (const [path, item] of Object.entries<any>(document.paths)) {
    for (const method of METHODS.filter((name) => name in item)) {
      const operation = item[method];
      const security = operation.security ?? document.security;
      if (security.some((requirement: object) => 'TokenAuth' in requirement)) {
        protectedCount += 1;
        assert.ok(operation.responses['401'], `${method} ${path} 401`);
      }
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      if (parameters.some((parameter: { name: string }) => parameter.name === 'Idempotency-Key')) assert.ok(operation.responses['422'], `${method} ${path} 422`);
    }
  }
  assert.ok(protectedCount > 20);
});

test('every array schema has items', ({ document }) => {
  const missing: string[] = [];
  const walk = (node: unknown, where: string) => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const type = record.type;
    if ((type === 'array' || (Array.isArray(type) && type.includes('array'))) && !('items' in record)) missing.push(where);
    for (const [key, value] of Object.entries(record)) walk(value, `${where}.${key}`);
  };
  walk(document, '#');
  assert.equal(missing, []);
});

test('an openapi-typescript client type-checks PATCH /products/{pk}/ with {name} only', async ({ document }) => {
  const folder = await mkdtemp(join(tmpdir(), 'openapi-typescript-'));
  try {
    await writeFile(join(folder, 'schema.ts'), astToString(await openapiTS(document)));
    await writeFile(
      join(folder, 'client.ts'),
      [
        "import type { paths, components } from './schema';",
        "type PatchProduct = NonNullable<paths['/api/v1/products/{pk}/']['patch']['requestBody']>['content']['application/json'];",
        "export const rename: PatchProduct = { name: 'Desk lamp' };",
        'export const disable: PatchProduct = { media_enabled: false };',
        '// @ts-expect-error the SKU is not changed by a PATCH',
        "export const sku: PatchProduct = { sku: 'LAMP-1' };",
        '// @ts-expect-error a name is a string',
        'export const wrong: PatchProduct = { name: 5 };',
        "type Batch = NonNullable<paths['/api/jsonrpc']['post']['requestBody']>['content']['application/json'];",
        "export const batch: Batch = [{ jsonrpc: '2.0', id: 1, method: 'login', params: ['erp', 'key'] }];",
        "export const created: components['schemas']['Product']['sku'] = 'LAMP-1';",
      ].join('\n'),
    );
    const program = ts.createProgram([join(folder, 'client.ts')], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    assert.equal(diagnostics, []);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test.run();

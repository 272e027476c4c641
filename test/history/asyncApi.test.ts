import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EVENT_CATALOG } from '../../src/domain/events.ts';
import { asyncApiDocument } from '../../src/http/asyncapi/asyncApiDocument.ts';
import { toYaml } from '../../src/http/asyncapi/yaml.ts';
import { EVENT_SAMPLES } from '../domain/eventSamples.ts';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('AsyncAPI document of the published events');
test.before(async (context) => {
  context.api = await startTestService();
});
test.after(async ({ api }) => api.stop());

const document = asyncApiDocument('https://omnitron.example.com');

test('is AsyncAPI 3 YAML served at /api/asyncapi.yaml without credentials', async ({ api }) => {
  const response = await api.request('GET', '/api/asyncapi.yaml', { auth: null });
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/yaml/);
  assert.is(response.text, toYaml(document));
  assert.match(response.text, /^asyncapi: "3\.0\.0"\n/);
});

test('describes every event of the catalog with its schema version, and nothing else', () => {
  const messages = document.components.messages as Record<string, { 'x-schema-version': number; headers: { properties: { schemaVersion: { const: number } } } }>;
  assert.equal(Object.keys(messages).sort(), EVENT_CATALOG.map((entry) => entry.type).sort());
  for (const entry of EVENT_CATALOG) {
    assert.is(messages[entry.type]!['x-schema-version'], entry.schemaVersion, entry.type);
    assert.is(messages[entry.type]!.headers.properties.schemaVersion.const, entry.schemaVersion, entry.type);
    const channel = (document.channels as Record<string, { messages: Record<string, unknown> }>)[entry.category]!;
    assert.ok(entry.type in channel.messages, `${entry.type} is on the ${entry.category} channel`);
  }
});

test('each payload schema names exactly the fields the code writes', () => {
  const messages = document.components.messages as Record<string, { payload: { properties: Record<string, unknown>; required: string[] } }>;
  for (const [type, sample] of Object.entries(EVENT_SAMPLES)) {
    assert.equal(Object.keys(messages[type]!.payload.properties).sort(), Object.keys(sample).sort(), type);
    assert.equal(messages[type]!.payload.required.sort(), Object.keys(sample).sort(), type);
  }
});

test('toYaml writes block YAML with JSON-quoted strings', () => {
  assert.is(
    toYaml({ a: 1, 'b c': ['x', { d: null, e: [] }], f: { g: true, h: {} } }),
    'a: 1\n"b c":\n  - "x"\n  -\n    d: null\n    e: []\nf:\n  g: true\n  h: {}\n',
  );
});

test.run();

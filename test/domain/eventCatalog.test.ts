import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imageDownloadStream } from '../../src/domain/download/imageDownloadStream.ts';
import { APIS } from '../../src/domain/eventMetadata.ts';
import { catalogEntry, EVENT_CATALOG, EVENT_TYPES, isCatalogEvent, isCatalogEventType } from '../../src/domain/events.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import { pkSequenceStream, PRODUCT_STREAM_PREFIX, productSkuStream, productStream } from '../../src/domain/product/productStreams.ts';
import { settingsStream } from '../../src/domain/settings/settingsStream.ts';
import { idempotencyStream } from '../../src/domain/idempotency/idempotencyStream.ts';
import { rpcSessionStream, sessionDigest } from '../../src/domain/rpcSession/rpcSessionStream.ts';
import { galleryFileStream } from '../../src/domain/galleryFile/galleryFileStream.ts';
import { EVENT_SAMPLES } from './eventSamples.ts';
import { rebuildStream } from '../../src/rebuild/domain/rebuildEvents.ts';
import { webhookAttemptsStream, webhookDeliveryStream, webhookStream } from '../../src/webhooks/domain/webhookStreams.ts';

const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');

/** Each `### Type` section of docs/events.md: its heading, body, field table and JSON example. */
const sections = doc
  .split(/^### /m)
  .slice(1)
  .map((section) => {
    const [heading = '', ...lines] = section.split('\n');
    const body = lines.join('\n');
    // Payload fields are camelCase, so other tables (e.g. setting keys) do not match.
    const fields = [...body.matchAll(/^\| `([a-z][A-Za-z0-9]*)` \|/gm)].map((match) => match[1]);
    const json = /```json\n([\s\S]*?)\n```/.exec(body)?.[1];
    return { heading: heading.trim(), body, fields, example: json === undefined ? undefined : (JSON.parse(json) as Example) };
  });

interface Example {
  streamName: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const category = (streamName: string) => streamName.split('-')[0];

test('every catalogued event type has a `###` heading in docs/events.md', () => {
  const headings = sections.map((section) => section.heading);
  for (const type of EVENT_TYPES) assert.ok(headings.includes(type), `${type} is not documented`);
});

test('docs/events.md documents no event type outside the catalog', () => {
  for (const { heading } of sections) assert.ok(isCatalogEventType(heading), `${heading} is documented but not catalogued`);
  assert.is(new Set(sections.map((section) => section.heading)).size, sections.length, 'an event is documented twice');
});

test('each documented event says when it happens, its stream, and shows an example', () => {
  for (const { heading, body, example } of sections) {
    assert.match(body, /^When: /m, `${heading} lacks "When:"`);
    assert.match(body, /^Stream: `/m, `${heading} lacks "Stream:"`);
    assert.ok(example, `${heading} lacks a JSON example`);
  }
});

test('each example matches its catalog entry and carries the whole envelope', () => {
  for (const { heading, example } of sections) {
    const entry = catalogEntry(heading);
    assert.ok(entry && example);
    assert.is(example.type, heading);
    assert.is(category(example.streamName), entry.category, `${heading} example is in the wrong stream`);
    assert.equal(
      Object.keys(example.metadata).sort(),
      ['actor', 'api', 'causationId', 'correlationId', 'occurredAt', 'schemaVersion'],
      `${heading} envelope`,
    );
    assert.is(example.metadata.schemaVersion, entry.schemaVersion, `${heading} schemaVersion`);
    assert.ok((APIS as readonly unknown[]).includes(example.metadata.api), `${heading} api`);
    assert.match(String(example.metadata.occurredAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, `${heading} occurredAt`);
  }
});

test('each example shows exactly the fields its table documents', () => {
  for (const { heading, fields, example } of sections) {
    assert.equal(Object.keys(example?.data ?? {}).sort(), [...fields].sort(), `${heading} table vs example`);
  }
});

test('documented fields are the fields the code writes', () => {
  for (const { heading, fields } of sections) {
    const sample = EVENT_SAMPLES[heading as keyof typeof EVENT_SAMPLES];
    assert.equal([...fields].sort(), Object.keys(sample).sort(), `${heading} docs vs code`);
  }
});

test('catalog categories are the categories the stream helpers produce', () => {
  const byHelper: Record<string, string | undefined> = {
    product: category(productStream(1)),
    productSku: category(productSkuStream('sku')),
    pkSequence: category(pkSequenceStream('image')),
    productMedia: category(productMediaStream(1)),
    settings: category(settingsStream()),
    imageDownload: category(imageDownloadStream('id')),
    rpcSession: category(rpcSessionStream(sessionDigest('0'.repeat(32)))),
    idempotency: category(idempotencyStream('erp', 'key-1')),
    galleryFile: category(galleryFileStream('/i/m/image-1.png')),
    webhook: category(webhookStream(1)),
    webhookDelivery: category(webhookDeliveryStream(1)),
    webhookAttempts: category(webhookAttemptsStream(1)),
    readModelRebuild: category(rebuildStream('6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b')),
  };
  for (const entry of EVENT_CATALOG) assert.is(byHelper[entry.category], entry.category, entry.type);
});

test('PRODUCT_STREAM_PREFIX starts the product streams and no other category', () => {
  assert.ok(productStream(7).startsWith(PRODUCT_STREAM_PREFIX));
  for (const stream of [productSkuStream('7'), pkSequenceStream('product'), productMediaStream(7)]) {
    assert.not.ok(stream.startsWith(PRODUCT_STREAM_PREFIX), stream);
  }
});

test('the catalog lists each type once with a positive schema version', () => {
  assert.is(new Set(EVENT_TYPES).size, EVENT_TYPES.length);
  for (const entry of EVENT_CATALOG) assert.ok(Number.isInteger(entry.schemaVersion) && entry.schemaVersion >= 1, entry.type);
});

test('isCatalogEvent accepts catalogued events and rejects others', () => {
  assert.ok(isCatalogEvent({ type: 'ImageUploaded', data: {} }));
  assert.not.ok(isCatalogEvent({ type: 'ImageUploadedd', data: {} }));
  assert.not.ok(isCatalogEvent({ type: 'toString', data: {} }));
  assert.not.ok(isCatalogEvent({ type: 'SettingChanged', data: null }));
  assert.not.ok(isCatalogEvent({ type: 'SettingChanged', data: 'MAX_IMAGE_DIMENSIONS' }));
  assert.is(catalogEntry('nope'), undefined);
  assert.equal(catalogEntry('MainImageSet'), { type: 'MainImageSet', category: 'productMedia', schemaVersion: 1 });
});

test.run();

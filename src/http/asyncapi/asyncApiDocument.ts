import { EVENT_CATALOG, STREAM_CATEGORIES, type StreamCategory } from '../../domain/events.ts';
import { APIS } from '../../domain/eventMetadata.ts';
import { EVENT_PAYLOAD_SCHEMAS } from './eventPayloadSchemas.ts';
import { REBUILD_STREAM_ADDRESS } from '../../rebuild/http/rebuildAsyncApi.ts';
import { WEBHOOK_ASYNCAPI } from '../../webhooks/http/webhookAsyncApi.ts';

/** How each stream category is addressed (EventStoreDB stream names). */
const STREAM_ADDRESSES: { readonly [Category in StreamCategory]: { address: string; description: string } } = {
  product: { address: 'product-{productPk}', description: "One product's registry facts." },
  productSku: { address: 'productSku-{sku}', description: 'The claim that makes a SKU unique.' },
  pkSequence: { address: 'pkSequence-{kind}', description: 'Integer pk allocation.' },
  productMedia: { address: 'productMedia-{productPk}', description: 'The gallery: every image and video event of one product. Also served as the downstream feed (GET /api/v1/media_events/ and the SSE stream).' },
  settings: { address: 'settings', description: 'Dynamic settings.' },
  imageDownload: { address: 'imageDownload-{downloadId}', description: 'One ERP image download job.' },
  rpcSession: { address: 'rpcSession-{sessionDigest}', description: 'One JSON-RPC session (internal; kept while the session lives).' },
  idempotency: { address: 'idempotency-{requestDigest}', description: 'One user\'s Idempotency-Key and the answer retries get (internal; kept 24 hours).' },
  galleryFile: { address: 'galleryFile-{file}', description: 'The reservation of one ShipStream gallery file name: names are unique across the catalog and never reused (internal).' },
  webhook: { address: 'webhook-{webhookPk}', description: 'One webhook subscription (POST /api/v1/webhooks/): created, changed, disabled, deleted, replays.' },
  webhookDelivery: { address: 'webhookDelivery-{webhookPk}', description: 'The delivery lease and checkpoint of one subscription (internal; kept 30 days).' },
  webhookAttempts: { address: 'webhookAttempts-{webhookPk}', description: 'Delivery attempts of one subscription (GET /api/v1/webhooks/{pk}/deliveries/; kept 7 days).' },
  readModelRebuild: REBUILD_STREAM_ADDRESS,
};

const PARAMETER_DESCRIPTIONS: Record<string, string> = {
  productPk: 'The product pk.',
  sku: 'The SKU, URI-encoded.',
  kind: 'product, image or video.',
  downloadId: 'The download job id.',
  sessionDigest: 'SHA-256 (hex) of the session id.',
  requestDigest: 'SHA-256 (hex) of the user name, a line feed and the Idempotency-Key.',
  file: 'The gallery file name (/i/m/image.png), URI-encoded.',
  webhookPk: 'The webhook subscription pk.',
  rebuildId: 'The rebuild id (POST /api/v1/read_model_rebuilds/).',
};

/**
 * The AsyncAPI 3 document of the published language, built from EVENT_CATALOG (types, stream
 * categories, schema versions) and the payload schemas, served at `/api/asyncapi.yaml`. Each
 * message's `x-schema-version` is the version of the payload a reader receives (older stored
 * versions are upcast). docs/events.md explains each event in prose.
 */
export function asyncApiDocument(publicBaseUrl: string) {
  const url = new URL(publicBaseUrl);
  const envelope = {
    type: 'object',
    required: ['actor', 'api', 'correlationId', 'causationId', 'occurredAt', 'schemaVersion'],
    properties: {
      actor: { type: 'string', description: 'The authenticated API user.' },
      api: { enum: [...APIS] },
      correlationId: { type: 'string', description: 'The request (its X-Correlation-ID) or job.' },
      causationId: { type: 'string' },
      occurredAt: { type: 'string', format: 'date-time' },
      schemaVersion: { type: 'integer', minimum: 1 },
      traceId: { type: 'string', pattern: '^[0-9a-f]{32}$', description: 'The W3C trace id of the request that caused the event, when it had one.' },
    },
  };
  const messages = Object.fromEntries(
    EVENT_CATALOG.map((entry) => [
      entry.type,
      {
        name: entry.type,
        title: entry.type,
        summary: `${entry.type} (stream ${STREAM_ADDRESSES[entry.category].address}); see docs/events.md.`,
        contentType: 'application/json',
        'x-schema-version': entry.schemaVersion,
        headers: { ...envelope, properties: { ...envelope.properties, schemaVersion: { const: entry.schemaVersion } } },
        payload: EVENT_PAYLOAD_SCHEMAS[entry.type],
      },
    ]),
  );
  const channels = Object.fromEntries(
    STREAM_CATEGORIES.map((category) => {
      const { address, description } = STREAM_ADDRESSES[category];
      const parameters = [...address.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      const types = EVENT_CATALOG.filter((entry) => entry.category === category).map((entry) => entry.type);
      return [
        category,
        {
          address,
          description,
          ...(parameters.length > 0 ? { parameters: Object.fromEntries(parameters.map((name) => [name, { description: PARAMETER_DESCRIPTIONS[name] ?? name }])) } : {}),
          messages: Object.fromEntries(types.map((type) => [type, { $ref: `#/components/messages/${type}` }])),
        },
      ];
    }),
  );
  const operations = Object.fromEntries(
    STREAM_CATEGORIES.map((category) => [
      `receive-${category}`,
      {
        action: 'receive',
        channel: { $ref: `#/channels/${category}` },
        summary: `Events of the ${category} streams, in commit order.`,
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Product media catalog: published events',
      version: '1.0.0',
      description:
        'Every event the catalog writes. Gallery events reach downstream services through the feed (`GET /api/v1/media_events/`, Server-Sent Events at `/api/v1/media_events/stream`, `id` = position, resumable with Last-Event-ID) or, on EventStoreDB, a `$all` subscription filtered by the stream prefix `productMedia-`; or are pushed to subscribed receivers as signed webhooks (channel `webhookPush`).',
    },
    defaultContentType: 'application/json',
    servers: {
      feed: { host: url.host, protocol: url.protocol.replace(':', ''), pathname: '/api/v1/media_events/stream', description: 'Server-Sent Events; `Authorization: Token <key>`.' },
      eventstoredb: { host: 'eventstoredb:2113', protocol: 'esdb', description: 'EventStoreDB gRPC: subscribe to `$all` with a stream prefix filter.' },
      ...WEBHOOK_ASYNCAPI.servers,
    },
    channels: { ...channels, ...WEBHOOK_ASYNCAPI.channels },
    operations: { ...operations, ...WEBHOOK_ASYNCAPI.operations },
    components: { messages },
  };
}

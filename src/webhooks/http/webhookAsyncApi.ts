/**
 * The webhook delivery in AsyncAPI 3 terms, merged into /api/asyncapi.yaml: the service sends
 * (`action: send`) one signed POST per gallery event to each subscribed receiver.
 */
const header = (description: string) => ({ type: 'string', description });

const WEBHOOK_DELIVERY_MESSAGE = {
  name: 'WebhookDelivery',
  title: 'A gallery event pushed to a receiver',
  contentType: 'application/json',
  headers: {
    type: 'object',
    required: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
    properties: {
      'webhook-id': header('The event id: the same on every redelivery (dedupe by it).'),
      'webhook-timestamp': header('Unix seconds of this attempt.'),
      'webhook-signature': header('`v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` keyed by the base64 bytes after `whsec_` of the subscription secret (Standard Webhooks).'),
    },
  },
  payload: {
    type: 'object',
    description: 'The feed entry of the event, as GET /api/v1/media_events/ lists it.',
    required: ['position', 'stream', 'revision', 'type', 'data', 'metadata', 'product', 'sku'],
    properties: {
      position: { type: 'string', description: 'Opaque, ordered `$all` position (replay from it with POST /api/v1/webhooks/{pk}/replay/).' },
      stream: { type: 'string' },
      revision: { type: 'integer' },
      type: { type: 'string', description: 'A gallery event type (docs/events.md).' },
      data: { type: 'object' },
      metadata: { type: 'object' },
      product: { type: ['integer', 'null'] },
      sku: { type: ['string', 'null'] },
    },
  },
};

export const WEBHOOK_ASYNCAPI = {
  servers: {
    webhookReceiver: {
      host: '{receiverHost}',
      protocol: 'https',
      description: "A subscriber's receiver (the `url` of POST /api/v1/webhooks/). http is allowed; private addresses only for WEBHOOK_ALLOWED_HOSTS.",
      variables: { receiverHost: { description: 'Host of the subscription URL.' } },
    },
  },
  channels: {
    webhookPush: {
      address: '{subscriptionUrl}',
      description:
        'One HTTP POST per gallery event to each active subscription whose filters match, in commit order per product (the next event of a product only after the previous one was acknowledged with a 2xx), products in parallel up to WEBHOOK_CONCURRENCY. A non-2xx answer, a timeout (WEBHOOK_TIMEOUT_MS) or a redirect is retried after 5 s, 30 s, 2 min, 10 min, 1 h, then every 6 h (±20 % jitter) for up to WEBHOOK_RETRY_HOURS, after which the subscription is disabled (`active: false`, `disabled_reason`); 410 Gone disables it at once. Delivery is at least once: a redelivery carries the same `webhook-id`, so receivers dedupe by it.',
      servers: [{ $ref: '#/servers/webhookReceiver' }],
      parameters: { subscriptionUrl: { description: 'The subscription URL.' } },
      // Inline: components.messages holds the stored events of the catalog only.
      messages: { WebhookDelivery: WEBHOOK_DELIVERY_MESSAGE },
    },
  },
  operations: {
    'send-webhookPush': {
      action: 'send',
      channel: { $ref: '#/channels/webhookPush' },
      summary: 'Signed push of each gallery event (Standard Webhooks).',
      bindings: { http: { method: 'POST' } },
    },
  },
};

/** The `/api/v1/webhooks/` routes in OpenAPI 3.1 terms, merged into /api/schema/ (paths and schemas). */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const respond = (description: string, schema?: object) => ({ description, ...(schema ? { content: json(schema) } : {}) });
const pk = { name: 'pk', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const ERRORS = {
  400: respond('Invalid input: `{"field": ["message"]}`.', ref('FieldErrors')),
  401: respond('Missing or invalid credentials.', ref('Detail')),
  404: respond('`{"detail": "Not found."}`', ref('Detail')),
};
const nullableList = (items: object) => ({ type: ['array', 'null'], items });

const webhook = {
  type: 'object',
  required: ['pk', 'url', 'events', 'products', 'description', 'active', 'disabled_reason', 'created_date'],
  properties: {
    pk: { type: 'integer' },
    url: { type: 'string', format: 'uri' },
    events: { ...nullableList({ type: 'string' }), description: 'Gallery event types delivered; `null`: all.' },
    products: { ...nullableList({ type: 'integer' }), description: 'Product pks delivered; `null`: all.' },
    description: { type: 'string' },
    active: { type: 'boolean' },
    disabled_reason: { type: ['string', 'null'], description: 'Why delivery stopped by itself (410 Gone, retries exhausted).' },
    created_date: { type: 'string', format: 'date-time' },
  },
};

export const WEBHOOK_SCHEMAS = {
  Webhook: webhook,
  WebhookWithSecret: {
    ...webhook,
    required: [...webhook.required, 'secret'],
    properties: { ...webhook.properties, secret: { type: 'string', pattern: '^whsec_', description: 'The signing secret (Standard Webhooks); shown only in this answer.' } },
  },
  WebhookInput: {
    type: 'object',
    required: ['url'],
    properties: {
      url: { type: 'string', format: 'uri', maxLength: 2048, description: 'http(s); private addresses only for WEBHOOK_ALLOWED_HOSTS.' },
      events: nullableList({ type: 'string' }),
      products: nullableList({ type: 'integer' }),
      description: { type: 'string', maxLength: 255 },
    },
  },
  WebhookPatch: {
    type: 'object',
    properties: { url: { type: 'string', format: 'uri' }, events: nullableList({ type: 'string' }), products: nullableList({ type: 'integer' }), description: { type: 'string' }, active: { type: 'boolean' } },
  },
  WebhookAttempt: {
    type: 'object',
    required: ['webhook_id', 'position', 'attempt', 'status_code', 'latency_ms', 'error', 'attempted_date'],
    properties: {
      webhook_id: { type: 'string' },
      position: { type: ['string', 'null'] },
      attempt: { type: 'integer' },
      status_code: { type: ['integer', 'null'] },
      latency_ms: { type: 'integer' },
      error: { type: ['string', 'null'] },
      attempted_date: { type: 'string', format: 'date-time' },
    },
  },
  WebhookPage: { type: 'object', required: ['count', 'next', 'previous', 'results'], properties: { count: { type: 'integer' }, next: { type: 'null' }, previous: { type: 'null' }, results: { type: 'array', items: ref('Webhook') } } },
  WebhookAttemptPage: { type: 'object', required: ['count', 'next', 'previous', 'results'], properties: { count: { type: 'integer' }, next: { type: 'null' }, previous: { type: 'null' }, results: { type: 'array', items: ref('WebhookAttempt') } } },
};

export const WEBHOOK_PATHS = {
  '/api/v1/webhooks/': {
    get: { summary: 'List webhook subscriptions', responses: { 200: respond('Every subscription.', ref('WebhookPage')), ...ERRORS } },
    post: {
      summary: 'Subscribe a receiver to gallery events',
      description: 'Delivery: one signed POST per event (Standard Webhooks headers), per-product order, retries with backoff; see the AsyncAPI channel `webhookPush`. The answer holds the `secret`, never shown again.',
      requestBody: { content: json(ref('WebhookInput')) },
      responses: { 201: respond('Created.', ref('WebhookWithSecret')), ...ERRORS },
    },
  },
  '/api/v1/webhooks/{pk}/': {
    parameters: [pk],
    get: { summary: 'A subscription', responses: { 200: respond('The subscription.', ref('Webhook')), ...ERRORS } },
    patch: { summary: 'Change url, events, products, description or active', requestBody: { content: json(ref('WebhookPatch')) }, responses: { 200: respond('Changed.', ref('Webhook')), ...ERRORS } },
    delete: { summary: 'Delete the subscription', responses: { 204: respond('Deleted.'), ...ERRORS } },
  },
  '/api/v1/webhooks/{pk}/rotate_secret/': {
    parameters: [pk],
    post: { summary: 'A new signing secret', responses: { 200: respond('The subscription with its new secret.', ref('WebhookWithSecret')), ...ERRORS } },
  },
  '/api/v1/webhooks/{pk}/ping/': {
    parameters: [pk],
    post: { summary: 'Send a signed test delivery (`{"type": "WebhookPing"}`) now', responses: { 200: respond('The attempt.', ref('WebhookAttempt')), ...ERRORS } },
  },
  '/api/v1/webhooks/{pk}/replay/': {
    parameters: [pk],
    post: {
      summary: 'Redeliver every matching event after a feed position',
      requestBody: { content: json({ type: 'object', required: ['after'], properties: { after: { type: 'string', description: 'A `position`; `0` = the start of the log.' } } }) },
      responses: { 202: respond('Accepted; delivery restarts from there.', ref('Webhook')), ...ERRORS },
    },
  },
  '/api/v1/webhooks/{pk}/deliveries/': {
    parameters: [pk],
    get: { summary: 'Recent delivery attempts, newest first (at most 100, kept 7 days)', responses: { 200: respond('The attempts.', ref('WebhookAttemptPage')), ...ERRORS } },
  },
};

import { API_REFERENCE_PATHS } from './apiReferencePaths.ts';
import { withOperationConventions } from './operationConventions.ts';
import { SCHEMAS, pageOf } from './openApiSchemas.ts';
import { CHANGE_KEYS } from '../../app/history/eventChanges.ts';
import { MEDIA_ORDERINGS } from '../../app/media/mediaLists.ts';
import { WEBHOOK_PATHS, WEBHOOK_SCHEMAS } from '../../webhooks/http/webhookOpenApi.ts';
import { REBUILD_PATHS, REBUILD_SCHEMAS } from '../../rebuild/http/rebuildOpenApi.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const respond = (description: string, schema?: object) => ({ description, ...(schema ? { content: json(schema) } : {}) });
const pkParameter = (name = 'pk') => ({ name, in: 'path', required: true, schema: { type: 'integer', minimum: 1 } });
const query = (name: string, schema: object, description: string) => ({ name, in: 'query', required: false, schema, description });


const PAGE_PARAMETERS = [
  query('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 20 }, 'Page size.'),
  query('page', { oneOf: [{ type: 'integer', minimum: 1 }, { const: 'last' }] }, '1-based page number, or `last`.'),
];
const MEDIA_FILTERS = [
  query('product', { type: 'integer' }, 'Only media of this product (a pk that names no product is a 400).'),
  query('product__in', { type: 'string' }, 'Comma-separated product pks (each must name a product, else a 400).'),
  query(
    'ordering',
    { type: 'string' },
    `Sort keys, most significant first, comma-separated, from ${MEDIA_ORDERINGS.map((key) => `\`${key}\``).join(', ')} (\`sort\` is an alias); others are ignored. Default \`order\`, then pk.`,
  ),
];
const TIME_TRAVEL = [
  query('as_of', { type: 'string', format: 'date-time' }, 'Time travel: the gallery as it was at this ISO-8601 time (lists need `product` or `product__in`).'),
  query('at_revision', { type: 'integer', minimum: 0 }, 'Time travel: the gallery as it was at this revision of the product\'s gallery stream.'),
];
const HISTORY_PARAMETERS = [
  ...PAGE_PARAMETERS,
  query('event', { type: 'string' }, 'Comma-separated event types, e.g. `MainImageSet,ImageReordered`.'),
  query('occurred_after', { type: 'string', format: 'date-time' }, 'Only changes at or after this time.'),
  query('occurred_before', { type: 'string', format: 'date-time' }, 'Only changes at or before this time.'),
  query('changed', { enum: [...CHANGE_KEYS] }, 'Only changes that name this key, e.g. `main_image`.'),
  query('ordering', { enum: ['occurred_at', '-occurred_at'] }, 'Default oldest first.'),
];
const FEED_PARAMETERS = [
  query('after', { type: 'string' }, 'Opaque cursor (a `position`); `0` or absent = the start of the log.'),
  query('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 20 }, 'Events per page.'),
  query('product', { type: 'string' }, 'Comma-separated product pks.'),
  query('sku', { type: 'string' }, 'Comma-separated SKUs.'),
  query('type', { type: 'string' }, 'Comma-separated event types.'),
];
const ERRORS = {
  400: respond('Invalid input: `{"field": ["message"]}`.', ref('FieldErrors')),
  401: respond('Missing or invalid credentials.', ref('Detail')),
  404: respond('`{"detail": "Not found."}`', ref('Detail')),
};
/** Every image slot taken and `IMAGE_QUEUE_MAX` jobs waiting. */
const IMAGE_BUSY = {
  503: {
    description: 'Image processing is busy: `{"detail": "Image processing is busy; retry in N seconds."}`; retry after `Retry-After` seconds.',
    headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 } } },
    content: json(ref('Detail')),
  },
};
const WRITE_ERRORS = { ...ERRORS, 412: respond('`If-Match` names an older revision of the gallery.', ref('Detail')) };
const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'A retried POST with the same key (same user, same request) answers the original response; the same key with another request is a 422.' };
const IF_MATCH = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'An ETag from a detail response: the write fails with 412 if the gallery changed since.' };

const MEDIA_PATH_ITEM = {
  parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: 'Object key, e.g. `products/2022/11/25/16201/<uuid>.jpg`, as in an `image`/`video`/`url` the APIs hand out.' }],
  get: {
    summary: 'A stored image or video, or a rendition of an image (public; see README "Delivering images")',
    description:
      'No credentials: the current binary of a live image or video, by its unguessable key. A deleted or replaced binary needs an API token ' +
      '(and is answered `Cache-Control: private, no-store`). Renditions: `w`/`h` from `RENDITION_SIZES` only, `fit`, `format` (`auto` picks ' +
      'AVIF, then WebP, then the original format from `Accept`, and answers `Vary: Accept`), or a configured `preset`; made once, stored, ' +
      'then served like originals. `Cache-Control: public, max-age=31536000, immutable` (a `fit=cover` crop follows the focal point: one hour, ' +
      'revalidated). With `MEDIA_ACCESS=signed`, `expires` and `signature` are required (they come with every URL the APIs hand out).',
    security: [{}, { TokenAuth: [] }],
    parameters: [
      query('w', { type: 'integer' }, 'Width of the rendition: one of `RENDITION_SIZES` (default 64, 96, 128, 160, 240, 320, 480, 640, 800, 960, 1200, 1600, 2000).'),
      query('h', { type: 'integer' }, 'Height of the rendition: one of `RENDITION_SIZES`.'),
      query('fit', { enum: ['inside', 'cover', 'contain'], default: 'inside' }, '`inside` fits the box, `cover` fills it exactly (cropping around the focal point), `contain` letterboxes. Never enlarged.'),
      query('format', { enum: ['jpeg', 'png', 'webp', 'avif', 'auto'] }, 'Output format; default the original\'s.'),
      query('preset', { type: 'string' }, 'A named rendition from `RENDITION_PRESETS` (default `thumbnail`, `card`, `zoom`); not with w, h, fit.'),
      query('expires', { type: 'integer' }, 'Signed URLs: Unix time the signature expires.'),
      query('signature', { type: 'string' }, 'Signed URLs: the HMAC-SHA256 signature.'),
      { name: 'Range', in: 'header', required: false, schema: { type: 'string' }, description: 'One byte range, e.g. `bytes=0-1023`.' },
    ],
    responses: {
      200: respond('The binary.'),
      206: respond('A byte range.'),
      302: respond('`MEDIA_REDIRECT=presigned`: a short-lived URL of the bucket.'),
      304: respond('Not modified.'),
      400: respond('A rendition parameter is unknown, repeated or not allowed: `{"w": ["Must be one of 64, 96, …"]}`.', ref('FieldErrors')),
      403: respond('Signed URLs: missing, invalid or expired signature.', ref('Detail')),
      404: ERRORS[404],
      416: respond('Range not satisfiable.', ref('Detail')),
      ...IMAGE_BUSY,
    },
  },
};

const GALLERY_FILE_PARAMETER = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });

/** Magento's media URL of a ShipStream gallery file (`file` of `product_media.list`): the same answers as `/media/{key}`. */
const CATALOG_PRODUCT_PATH_ITEM = {
  parameters: [
    GALLERY_FILE_PARAMETER('first', 'First character of the file name (`i` of `/i/m/image.png`).'),
    GALLERY_FILE_PARAMETER('second', 'Second character of the file name (`m` of `/i/m/image.png`).'),
    GALLERY_FILE_PARAMETER('name', 'The file name (`image.png`); names are unique across the catalog and never reused.'),
  ],
  get: {
    ...MEDIA_PATH_ITEM.get,
    summary: 'A ShipStream gallery file by its Magento media URL (public; see docs/jsonrpc.md)',
    description:
      'No credentials: the current binary of the live image whose JSON-RPC `file` is `/<first>/<second>/<name>`, so connectors that build ' +
      'Magento URLs from `file` work. Same headers, ranges and renditions as `/media/{key}`, but cached `public, max-age=300, ' +
      'stale-while-revalidate=86400` (an `update` replaces the binary under the same name). A removed or unknown name answers 404.',
  },
};

/**
 * The OpenAPI 3.1 document of the REST surface, served at `/api/schema/`. A test checks it lists
 * exactly the routes the application has.
 */
export function openApiDocument(publicBaseUrl: string) {
  return withOperationConventions({
    openapi: '3.1.0',
    info: {
      title: 'Product media catalog: Omnitron media REST API',
      version: '1.0.0',
      description:
        'Product images, videos and dynamic settings over an event-sourced catalog. Django REST Framework conventions. Paths take integer pks (a product\'s `pk`, not its SKU). ' +
        '`OPTIONS` on an endpoint answers DRF\'s metadata: `name`, `description`, `renders`, `parses`, and on lists that create `actions.POST` with each field\'s `type`, `required`, `read_only`, `label`, limits and `choices`.',
      contact: { name: 'Product media catalog' },
    },
    servers: [{ url: publicBaseUrl }],
    security: [{ TokenAuth: [] }],
    components: {
      schemas: {
        ...SCHEMAS,
        ...WEBHOOK_SCHEMAS,
        ...REBUILD_SCHEMAS,
        ProductPage: pageOf('Product'),
        ProductImagePage: pageOf('ProductImage'),
        ProductVideoPage: pageOf('ProductVideo'),
        DynamicSettingPage: pageOf('DynamicSetting'),
        HistoryPage: pageOf('HistoryEntry'),
        FeedPage: {
          type: 'object',
          required: ['count', 'next', 'cursor', 'results'],
          properties: { count: { type: 'integer' }, next: { type: ['string', 'null'], format: 'uri' }, cursor: { type: ['string', 'null'] }, results: { type: 'array', items: ref('FeedEntry') } },
        },
      },
      securitySchemes: {
        TokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Token <key>`' },
        BasicAuth: { type: 'http', scheme: 'basic', description: 'JSON-RPC calls with a null session: the user name and its API key.' },
      },
    },
    paths: {
      ...WEBHOOK_PATHS,
      ...REBUILD_PATHS,
      '/health': { get: { summary: 'Liveness', security: [], responses: { 200: respond('The process answers.') } } },
      '/metrics': { get: { summary: 'Prometheus metrics of this instance (METRICS=off removes it; with METRICS_TOKEN, Authorization: Bearer <token>)', security: [], responses: { 200: respond('Text exposition format 0.0.4.'), 401: respond('METRICS_TOKEN is set and the bearer token is missing or wrong.') } } },
      '/ready': { get: { summary: 'Readiness', security: [], responses: { 200: respond('Read models are current.'), 503: respond('Catching up, a read model lagging (its commits fail, e.g. on a full disk) or the event store unreachable; the body names which and why.') } } },
      '/api/schema/': { get: { summary: 'This document (public)', security: [], responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/vnd.oai.openapi+json': { schema: { type: 'object' } } } } } } },
      '/api/asyncapi.yaml': { get: { summary: 'The AsyncAPI 3 document of every published event (public)', security: [], responses: { 200: { description: 'AsyncAPI 3.0 (YAML)', content: { 'application/yaml': { schema: { type: 'string' } } } } } } },
      ...API_REFERENCE_PATHS,
      '/api/v1/auth/login/': {
        post: { summary: 'Obtain the token of a user', security: [], requestBody: { content: json(ref('Login')) }, responses: { 200: respond('The key.', ref('Token')), 400: ERRORS[400] } },
      },
      '/api/v1/products/': {
        get: { summary: 'List products', parameters: [...PAGE_PARAMETERS, query('sku', { type: 'string' }, 'Exact SKU.'), query('pk__in', { type: 'string' }, 'Comma-separated pks.'), query('search', { type: 'string' }, 'Case-insensitive part of the SKU or the name (names among the first 10,000 products).')], responses: { 200: respond('A page.', ref('ProductPage')), ...ERRORS } },
        post: { summary: 'Register a product', parameters: [IDEMPOTENCY_KEY], requestBody: { content: json(ref('ProductInput')) }, responses: { 201: respond('Registered.', ref('Product')), ...ERRORS } },
      },
      '/api/v1/products/{pk}/': {
        parameters: [pkParameter()],
        get: { summary: 'A product', responses: { 200: respond('The product; ETag = its revision.', ref('Product')), ...ERRORS } },
        patch: { summary: 'Change name or media_enabled', parameters: [IF_MATCH], requestBody: { content: json(ref('ProductUpdate')) }, responses: { 200: respond('Changed.', ref('Product')), ...WRITE_ERRORS } },
      },
      '/api/v1/product_image/': {
        get: { summary: 'List product images', parameters: [...PAGE_PARAMETERS, ...MEDIA_FILTERS, ...TIME_TRAVEL, query('source', { enum: ['integration', 'unified'] }, 'Only images of this source.'), query('special_image_type', { enum: ['base', 'swatch', 'picto'] }, 'Only the image holding this special type (`base`: the main image).')], responses: { 200: respond('A page.', ref('ProductImagePage')), ...ERRORS } },
        post: {
          summary: 'Upload a product image (multipart)', parameters: [IDEMPOTENCY_KEY],
          requestBody: { content: { 'multipart/form-data': { schema: ref('ProductImageUpload') } } },
          responses: { 201: respond('Uploaded.', ref('ProductImage')), 413: respond('Too large.', ref('Detail')), ...ERRORS, ...IMAGE_BUSY },
        },
      },
      '/api/v1/product_image/{pk}/': {
        parameters: [pkParameter()],
        get: { summary: 'A product image', parameters: TIME_TRAVEL, responses: { 200: respond('The image; ETag = its gallery revision.', ref('ProductImage')), ...ERRORS } },
        patch: { summary: 'Change the order and/or the focal point (one decision)', parameters: [IF_MATCH], requestBody: { content: json(ref('ProductImageUpdate')) }, responses: { 200: respond('Changed.', ref('ProductImage')), ...WRITE_ERRORS } },
        delete: { summary: 'Delete the image', parameters: [IF_MATCH], responses: { 204: respond('Deleted.'), ...WRITE_ERRORS } },
      },
      '/api/v1/product_image/{pk}/make_special/': {
        parameters: [pkParameter()],
        post: { summary: 'Make the image special (`base` = main image)', parameters: [IF_MATCH], requestBody: { content: json(ref('MakeSpecial')) }, responses: { 200: respond('`{"special_image_type": "base"}`', ref('MakeSpecial')), ...WRITE_ERRORS } },
      },
      '/api/v1/product_image/{pk}/restore/': {
        parameters: [pkParameter()],
        post: {
          summary: 'Bring a deleted image back (same pk, same binary, no roles)', parameters: [IF_MATCH],
          responses: { 200: respond('The restored image.', ref('ProductImage')), ...WRITE_ERRORS, 400: respond('The image is not deleted, or its file name is taken: `{"detail": "Image 7 is not deleted."}`.', ref('Detail')) },
        },
      },
      '/api/v1/product_image/{pk}/history/': {
        parameters: [pkParameter()],
        get: { summary: 'Audit trail of an image (deleted images too)', parameters: HISTORY_PARAMETERS, responses: { 200: respond('A page of changes.', ref('HistoryPage')), ...ERRORS } },
      },
      '/api/v1/product_video/{pk}/history/': {
        parameters: [pkParameter()],
        get: { summary: 'Audit trail of a video (deleted videos too)', parameters: HISTORY_PARAMETERS, responses: { 200: respond('A page of changes.', ref('HistoryPage')), ...ERRORS } },
      },
      '/api/v1/products/{pk}/media_history/': {
        parameters: [pkParameter()],
        get: { summary: 'Audit trail of a product\'s whole gallery', parameters: HISTORY_PARAMETERS, responses: { 200: respond('A page of changes.', ref('HistoryPage')), ...ERRORS } },
      },
      '/api/v1/media_events/': {
        get: {
          summary: 'The downstream event feed: gallery events in commit order',
          description: 'Pages of `{count, next, cursor, results}`. Pass `cursor` back as `after` to continue; `next` is null at the end of the log (poll again later with `after=<cursor>`). Works on either event store.',
          parameters: FEED_PARAMETERS,
          responses: { 200: respond('A page of events.', ref('FeedPage')), ...ERRORS },
        },
      },
      '/api/v1/media_events/stream/': {
        get: {
          summary: 'The event feed as Server-Sent Events (history, then live)',
          description: 'Unnamed frames (a plain `EventSource`\'s `onmessage` receives them): `id:` = position, `data:` = a FeedEntry (its `type` is the event type). Resume with `Last-Event-ID` (or `?after=`): every event exactly once, in order. Heartbeat comments every 15 s. A consumer that falls more than FEED_MAX_BUFFERED_BYTES behind is disconnected and resumes.',
          parameters: [...FEED_PARAMETERS.filter((parameter) => parameter.name !== 'limit'), { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
          responses: { 200: { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...ERRORS },
        },
      },
      '/api/v1/product_video/': {
        get: { summary: 'List product videos', parameters: [...PAGE_PARAMETERS, ...MEDIA_FILTERS, ...TIME_TRAVEL], responses: { 200: respond('A page.', ref('ProductVideoPage')), ...ERRORS } },
        post: {
          summary: 'Upload a product video (multipart, MP4 by content)', parameters: [IDEMPOTENCY_KEY],
          requestBody: { content: { 'multipart/form-data': { schema: ref('ProductVideoUpload') } } },
          responses: { 201: respond('Uploaded.', ref('ProductVideo')), 413: respond('Too large.', ref('Detail')), ...ERRORS },
        },
      },
      '/api/v1/product_video/{pk}/': {
        parameters: [pkParameter()],
        get: { summary: 'A product video', parameters: TIME_TRAVEL, responses: { 200: respond('The video.', ref('ProductVideo')), ...ERRORS } },
        patch: { summary: 'Change the order', parameters: [IF_MATCH], requestBody: { content: json(ref('OrderUpdate')) }, responses: { 200: respond('Changed.', ref('ProductVideo')), ...WRITE_ERRORS } },
        delete: { summary: 'Delete the video', parameters: [IF_MATCH], responses: { 204: respond('Deleted.'), ...WRITE_ERRORS } },
      },
      '/api/v1/downloadable_image/{product_pk}/download/': {
        parameters: [pkParameter('product_pk')],
        post: {
          summary: 'Download an image from an ERP URL and add it to the product', parameters: [IDEMPOTENCY_KEY],
          description: 'http/https only; private, loopback and link-local addresses are refused unless listed in DOWNLOAD_ALLOWED_HOSTS. A failed download answers 400 with the reason under `url`.',
          requestBody: { content: json(ref('DownloadableImage')) },
          responses: { 200: respond('The created image.', ref('ProductImage')), ...ERRORS, ...IMAGE_BUSY },
        },
      },
      '/api/v1/downloadable_image/{product_pk}/replace/': {
        parameters: [pkParameter('product_pk')],
        post: {
          summary: 'Replace the whole image set of the product, all or nothing', parameters: [IDEMPOTENCY_KEY],
          requestBody: { content: json(ref('ImageSetReplacement')) },
          responses: {
            200: respond('The new image set.', ref('ProductImagePage')),
            ...ERRORS,
            400: respond('Invalid input, with DRF\'s nested list errors (one entry per image, `{}` for a valid one): `{"images": [{}, {"url": ["This field is required."]}]}`.', ref('FieldErrors')),
            ...IMAGE_BUSY,
          },
        },
      },
      '/api/jsonrpc': {
        post: {
          summary: 'ShipStream product_media JSON-RPC API',
          description:
            'JSON-RPC 2.0 (`"jsonrpc"` as the number 2.0 or the string "2.0"), single or batch. Methods: `login(username, api_key)` → session id; ' +
            '`call(session, "product_media.<list|info|types|create|update|remove>", [args])`; `endSession(session)`; the short form ' +
            '`product_media.<method>(session, ...args)`. A null session authenticates with HTTP Basic (user name and API key). Faults are ' +
            'JSON-RPC errors with code `-(32000 + fault)`; every answer with a body is HTTP 200. Also OpenMage\'s handler methods ' +
            '`multiCall(session, [[method, args], …])` (results in order, a failing call\'s fault in its place), `resources`, `globalFaults`, ' +
            '`resourceFaults`, `product_media.currentStore`, and the alias `product_attribute_media.*`. `jsonrpc` missing or "1.0" is answered ' +
            'in JSON-RPC 1.0 form. See docs/jsonrpc.md.',
          security: [{}, { BasicAuth: [] }],
          requestBody: { content: json({ oneOf: [ref('JsonRpcRequest'), ref('JsonRpcBatch')] }) },
          responses: { 200: respond('`{"jsonrpc", "id", "error", "result"}`, or a list of them for a batch.', { oneOf: [ref('JsonRpcResponse'), { type: 'array', items: ref('JsonRpcResponse') }] }), 204: respond('A batch of notifications only.') },
        },
      },
      '/media/{key}': MEDIA_PATH_ITEM,
      '/media/catalog/product/{first}/{second}/{name}': CATALOG_PRODUCT_PATH_ITEM,
      '/api/v1/dynamic_settings/': {
        get: { summary: 'List dynamic settings (defaults included)', responses: { 200: respond('All settings.', ref('DynamicSettingPage')), ...ERRORS } },
        post: { summary: 'Change a setting', parameters: [IDEMPOTENCY_KEY], requestBody: { content: json(ref('DynamicSettingInput')) }, responses: { 201: respond('Changed.', ref('DynamicSetting')), ...ERRORS } },
      },
      '/api/v1/dynamic_settings/{key}/': {
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
        get: { summary: 'One setting', responses: { 200: respond('The setting.', ref('DynamicSetting')), ...ERRORS } },
      },
    } as Record<string, Record<string, unknown>>,
  });
}

/** JSON Schemas of the REST representations and error bodies, shared by the OpenAPI document. */
const dateTime = { type: 'string', format: 'date-time', examples: ['2022-11-25T12:06:42.954200Z'] } as const;
const pk = { type: 'integer', minimum: 1 } as const;

export const SCHEMAS = {
  FeedEntry: {
    type: 'object',
    required: ['position', 'stream', 'revision', 'type', 'data', 'metadata', 'product', 'sku'],
    description: 'One event of the published language (docs/events.md, /api/asyncapi.yaml), at its current schema version.',
    properties: {
      position: { type: 'string' },
      stream: { type: 'string', examples: ['productMedia-16201'] },
      revision: { type: 'integer', minimum: 0 },
      type: { type: 'string', examples: ['ImageUploaded'] },
      data: { type: 'object' },
      metadata: {
        type: 'object',
        properties: { occurred_at: dateTime, actor: { type: 'string' }, api: { enum: ['rest', 'rpc', 'download', 'cli'] }, correlation_id: { type: 'string' }, causation_id: { type: 'string' }, schema_version: { type: 'integer' } },
      },
      product: { type: ['integer', 'null'] },
      sku: { type: ['string', 'null'] },
    },
  },
  HistoryEntry: {
    type: 'object',
    required: ['position', 'revision', 'event', 'occurred_at', 'actor', 'api', 'correlation_id', 'changes'],
    properties: {
      position: { type: 'string', description: 'Opaque position in the global log (a feed cursor).' },
      revision: { type: 'integer', minimum: 0, description: 'Revision of the product\'s gallery stream (`at_revision`).' },
      event: { type: 'string', examples: ['MainImageSet'] },
      occurred_at: dateTime,
      actor: { type: 'string', description: 'The authenticated API user.' },
      api: { enum: ['rest', 'rpc', 'download', 'cli'] },
      correlation_id: { type: 'string', description: 'The request\'s X-Correlation-ID (or its request id).' },
      image: { type: ['integer', 'null'] },
      video: { type: ['integer', 'null'] },
      changes: { type: 'object', additionalProperties: { type: 'array', items: {}, minItems: 2, maxItems: 2 }, description: '`{"name": [before, after]}`, e.g. `{"order": [0, 2]}`, `{"main_image": [12, 15]}`.', examples: [{ order: [0, 2] }] },
    },
  },
  Product: {
    type: 'object',
    required: ['pk', 'sku', 'name', 'media_enabled', 'created_date', 'modified_date'],
    properties: { pk, sku: { type: 'string', maxLength: 128 }, name: { type: 'string' }, media_enabled: { type: 'boolean' }, created_date: dateTime, modified_date: dateTime },
  },
  ProductInput: {
    type: 'object',
    required: ['sku'],
    properties: { sku: { type: 'string', maxLength: 128 }, name: { type: 'string', maxLength: 255 }, pk, media_enabled: { type: 'boolean', default: true } },
  },
  ProductUpdate: {
    type: 'object',
    description: 'PATCH: only the fields given change; `pk` and `sku` are read-only (ignored when sent).',
    properties: { name: { type: 'string', maxLength: 255 }, media_enabled: { type: 'boolean' } },
  },
  ProductImage: {
    type: 'object',
    required: ['pk', 'product', 'image', 'order', 'source', 'modified_date', 'created_date', 'special_image_types'],
    properties: {
      pk,
      product: pk,
      image: { type: 'string', format: 'uri' },
      order: { type: 'integer', minimum: 0 },
      source: { enum: ['integration', 'unified', null] },
      modified_date: dateTime,
      created_date: dateTime,
      focal_point: { oneOf: [{ $ref: '#/components/schemas/FocalPoint' }, { type: 'null' }], readOnly: true, description: 'Set with PATCH; `fit=cover` renditions crop around it.' },
      special_image_types: {
        type: 'array',
        items: { enum: ['base', 'swatch', 'picto'] },
        readOnly: true,
        description: 'The special types this image holds (`["base"]` for the main image, else `[]`); set with `make_special`.',
      },
    },
  },
  FocalPoint: {
    type: 'object',
    required: ['x', 'y'],
    properties: { x: { type: 'number', minimum: 0, maximum: 1 }, y: { type: 'number', minimum: 0, maximum: 1 } },
    description: 'Fractions of the displayed width and height from the top left corner.',
  },
  ProductImageUpdate: {
    type: 'object',
    properties: {
      order: { type: 'integer', minimum: 0 },
      focal_point: { oneOf: [{ $ref: '#/components/schemas/FocalPoint' }, { type: 'null' }], description: '`null` clears it.' },
    },
  },
  ProductImageUpload: {
    type: 'object',
    required: ['image', 'product'],
    properties: {
      image: { type: 'string', contentMediaType: 'image/jpeg', description: 'A PNG or JPEG file, judged by its content.' },
      product: pk,
      source: { enum: ['integration', 'unified'] },
      order: { type: 'integer', minimum: 0, description: 'Absent or empty: after the product\'s last one (0 for the first).' },
      label: { type: 'string', maxLength: 255, description: 'ShipStream `label` (product_media), set at upload.' },
      exclude: { type: 'boolean', description: 'ShipStream `exclude`, set at upload.' },
      types: { type: 'string', description: 'ShipStream role codes, comma separated (`image,thumbnail`); unknown codes are ignored, as product_media.create ignores them.' },
      file_name: { type: 'string', maxLength: 100, description: 'ShipStream gallery file name stem (as `file.name` of product_media.create): sanitised, given the content\'s extension, reserved catalog-wide (`_1`, `_2`, … when taken). Absent: derived from the stored key.' },
    },
  },
  ProductVideo: {
    type: 'object',
    required: ['pk', 'product', 'video', 'order', 'modified_date', 'created_date'],
    properties: { pk, product: pk, video: { type: 'string', format: 'uri' }, order: { type: 'integer', minimum: 0 }, modified_date: dateTime, created_date: dateTime },
  },
  ProductVideoUpload: {
    type: 'object',
    required: ['video', 'product'],
    properties: { video: { type: 'string', contentMediaType: 'video/mp4' }, product: pk, order: { type: 'integer', minimum: 0, description: 'Absent or empty: after the product\'s last one (0 for the first).' } },
  },
  OrderUpdate: { type: 'object', required: ['order'], properties: { order: { type: 'integer', minimum: 0 } } },
  MakeSpecial: { type: 'object', required: ['special_image_type'], properties: { special_image_type: { enum: ['base', 'swatch', 'picto'] } } },
  DynamicSetting: {
    type: 'object',
    required: ['key', 'value', 'modified_date'],
    properties: { key: { enum: ['MAX_IMAGE_DIMENSIONS'] }, value: {}, modified_date: { ...dateTime, type: ['string', 'null'] } },
  },
  DynamicSettingInput: {
    type: 'object',
    required: ['key', 'value'],
    properties: { key: { enum: ['MAX_IMAGE_DIMENSIONS'] }, value: { type: 'object', properties: { WIDTH: { type: 'integer', minimum: 1 }, HEIGHT: { type: 'integer', minimum: 1 } } } },
  },
  DownloadableImage: {
    type: 'object',
    required: ['url'],
    properties: {
      url: { type: 'string', format: 'uri' },
      image_type: { enum: ['default', 'swatch', 'picto'], default: 'default' },
      order: { type: 'integer', minimum: 0, default: 0 },
      source: { enum: ['integration', 'unified'] },
    },
  },
  ImageSetReplacement: {
    type: 'object',
    required: ['images'],
    properties: {
      images: {
        type: 'array',
        items: { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri' }, order: { type: 'integer', minimum: 0 }, image_type: { enum: ['default', 'swatch', 'picto'] } } },
      },
    },
  },
  Login: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string', description: 'The API key.' } } },
  Token: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
  Detail: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
  FieldErrors: {
    type: 'object',
    description: 'DRF validation errors: per field a list of messages, a nested serializer\'s errors, or (a list field) one entry per item, `{}` for an item without errors.',
    additionalProperties: { $ref: '#/components/schemas/FieldErrorValue' },
    examples: [{ image: ['No file was submitted.'] }, { images: [{}, { url: ['This field is required.'] }] }],
  },
  FieldErrorValue: {
    oneOf: [
      { type: 'array', items: { oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/FieldErrors' }] } },
      { $ref: '#/components/schemas/FieldErrors' },
    ],
  },
  JsonRpcRequest: {
    type: 'object',
    required: ['method'],
    properties: {
      jsonrpc: { enum: [2, '2.0', '1.0'], description: 'Absent or "1.0": JSON-RPC 1.0, answered without `jsonrpc`.' },
      id: { type: ['string', 'number', 'null'], description: 'Absent for a notification.' },
      method: { type: 'string', examples: ['login', 'call', 'endSession', 'product_media.list'] },
      params: { oneOf: [{ type: 'array', items: {} }, { type: 'object' }], description: 'Positional (a list) or named (an object).' },
    },
    examples: [{ jsonrpc: 2, id: 1234, method: 'call', params: ['be1c13ed4e03f0ed7f1e4053dfff9658', 'product_media.list', ['product2']] }],
  },
  JsonRpcBatch: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/JsonRpcRequest' }, description: 'A batch: answered with a list of the responses to its calls (notifications get none).' },
  JsonRpcResponse: {
    type: 'object',
    required: ['id', 'error', 'result'],
    properties: {
      jsonrpc: { enum: [2, '2.0'], description: 'As the request wrote it; absent for a JSON-RPC 1.0 request.' },
      id: { type: ['string', 'number', 'null'] },
      error: {
        type: ['object', 'null'],
        properties: { code: { type: 'integer', description: '`-(32000 + fault)`, e.g. -32101 product not exists, -32005 session expired; or -32700/-32600/-32601/-32602.' }, message: { type: 'string' } },
      },
      result: {},
    },
  },
} as const;

/** A DRF page of `item`. */
export function pageOf(item: string) {
  return {
    type: 'object',
    required: ['count', 'next', 'previous', 'results'],
    properties: {
      count: { type: 'integer', minimum: 0 },
      next: { type: ['string', 'null'], format: 'uri' },
      previous: { type: ['string', 'null'], format: 'uri' },
      results: { type: 'array', items: { $ref: `#/components/schemas/${item}` } },
    },
  };
}

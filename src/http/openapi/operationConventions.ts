/**
 * What every operation of the OpenAPI document carries, filled in from its path and method so a
 * route added later gets it too: an `operationId` and `tags` named as drf-spectacular names them,
 * the 401 of a path behind a token, the 422 of a reused `Idempotency-Key`.
 */

type Operation = {
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name?: string; in?: string }>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type PathItem = Record<string, unknown>;
interface Document {
  security: Array<Record<string, unknown>>;
  paths: Record<string, PathItem>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** drf-spectacular's action names (`GET` of a page is `list`, other `GET`s `retrieve`). */
const ACTIONS: Record<string, string> = { put: 'update', post: 'create', delete: 'destroy', patch: 'partial_update', options: 'options', head: 'head', trace: 'trace' };

const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Token login.',
  products: 'The product registry (SKU, name, whether media is allowed).',
  product_image: 'Product images: upload, order, focal point, main image, history.',
  product_video: 'Product videos (MP4).',
  downloadable_image: 'Images fetched from ERP URLs.',
  dynamic_settings: 'Runtime settings such as MAX_IMAGE_DIMENSIONS.',
  media_events: 'The downstream event feed (pages and Server-Sent Events).',
  jsonrpc: 'The ShipStream product_media JSON-RPC API (see docs/jsonrpc.md).',
  media: 'Public delivery of stored binaries and renditions.',
  schema: 'This document, the AsyncAPI document and the API reference page.',
  health: 'Probes.',
};

const UNAUTHORIZED = { description: 'Missing or invalid credentials: `{"detail": "Authentication credentials were not provided."}`.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Detail' } } } };
const KEY_REUSED = { description: 'This `Idempotency-Key` was already used with a different request: `{"detail": "This Idempotency-Key was already used with a different request."}`.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Detail' } } } };

/** The path's words without its parameters and API prefix: `/api/v1/product_image/{pk}/restore/` → `[product_image, restore]`. */
function pathWords(path: string): string[] {
  const words = path.split('/').filter((word) => word !== '' && !word.startsWith('{'));
  const start = words[0] === 'api' ? (words[1] === 'v1' ? 2 : 1) : 0;
  return words.slice(start).map((word) => word.replace(/\W+/g, '_'));
}

function tagOf(path: string): string {
  if (path === '/health' || path === '/ready') return 'health';
  if (/^\/api\/(schema|asyncapi|docs)/.test(path)) return 'schema';
  return pathWords(path)[0]!;
}

function actionOf(method: string, operation: Operation): string {
  if (method !== 'get') return ACTIONS[method]!;
  const ok = operation.responses['200']?.content?.['application/json']?.schema?.$ref ?? '';
  return ok.endsWith('Page') ? 'list' : 'retrieve';
}

function needsToken(operation: Operation, document: Document): boolean {
  return (operation.security ?? document.security).some((requirement) => 'TokenAuth' in requirement);
}

/** The document with every operation completed (operations that name their own id or tags keep them). */
export function withOperationConventions<T extends Document>(document: T): T & { tags: Array<{ name: string; description: string }> } {
  const used = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation === undefined) continue;
      operation.operationId ??= [...pathWords(path), actionOf(method, operation)].join('_');
      operation.tags ??= [tagOf(path)];
      operation.tags.forEach((tag) => used.add(tag));
      if (needsToken(operation, document)) operation.responses['401'] ??= UNAUTHORIZED;
      const parameters = [...((item.parameters as Operation['parameters']) ?? []), ...(operation.parameters ?? [])];
      if (parameters.some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key')) operation.responses['422'] ??= KEY_REUSED;
    }
  }
  const tags = [...used].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  return { ...document, tags };
}

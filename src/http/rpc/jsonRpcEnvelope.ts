/**
 * JSON-RPC envelopes as ShipStream exchanges them: `"jsonrpc"` may be the number 2.0 (as the
 * seed writes it) or the string "2.0", and every response carries `jsonrpc`, `id`, `error` and
 * `result` (one of the last two null), echoing the form of `jsonrpc` the client used. A request
 * without `jsonrpc`, or with `"1.0"`, is JSON-RPC 1.0 as Zend's server takes it: its response has
 * `id`, `error` and `result` only.
 */

export type RequestId = string | number | null;

/** How the client wrote `jsonrpc`; the response writes it the same way (`v1`: not at all). */
export type VersionForm = 'number' | 'string' | 'v1';

export interface JsonRpcRequest {
  version: VersionForm;
  /** Absent for a notification, which gets no response. */
  id?: RequestId;
  method: string;
  params: unknown;
}

export interface JsonRpcError {
  code: number;
  message: string;
}

export const PARSE_ERROR: JsonRpcError = { code: -32700, message: 'Parse error' };
export const INVALID_REQUEST: JsonRpcError = { code: -32600, message: 'Invalid Request' };
export const METHOD_NOT_FOUND: JsonRpcError = { code: -32601, message: 'Method not found' };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isRequestId = (value: unknown): value is RequestId =>
  value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/** JSON-RPC 2.0 as a number or a string; 1.0 when absent or `"1.0"` (Zend_Json_Server); anything else is invalid. */
function versionForm(jsonrpc: unknown): VersionForm | undefined {
  if (jsonrpc === 2) return 'number';
  if (jsonrpc === '2.0') return 'string';
  return jsonrpc === undefined || jsonrpc === '1.0' ? 'v1' : undefined;
}

/** A request object, or the error response it gets (with its id when that much was readable). */
export function readRequest(value: unknown): { request: JsonRpcRequest } | { invalid: { id: RequestId; version: VersionForm } } {
  if (!isRecord(value)) return { invalid: { id: null, version: 'string' } };
  const version = versionForm(value.jsonrpc);
  const hasId = Object.hasOwn(value, 'id');
  const id = hasId && isRequestId(value.id) ? value.id : null;
  const params = value.params;
  const structured = params === undefined || Array.isArray(params) || isRecord(params);
  if (version === undefined || (hasId && !isRequestId(value.id)) || typeof value.method !== 'string' || !structured) {
    return { invalid: { id, version: version ?? 'string' } };
  }
  // Two literals rather than a conditional spread, which costs a JSON-RPC call half a microsecond.
  return { request: hasId ? { version, id, method: value.method, params } : { version, method: value.method, params } };
}

/** The start of a response up to its `id` value, by version form. */
const RESPONSE_HEAD: Record<VersionForm, string> = { number: '{"jsonrpc":2.0,"id":', string: '{"jsonrpc":"2.0","id":', v1: '{"id":' };
const CLOSING_BRACE = Buffer.from('}');

/** The UTF-8 JSON of results that are frozen objects, which promise that they and all they hold never change. */
const frozenResultJson = new WeakMap<object, Buffer>();

/** A result's JSON as UTF-8; a frozen result (e.g. a cached list) is serialized and encoded once. */
function resultJson(result: unknown): Buffer {
  if (typeof result !== 'object' || result === null || !Object.isFrozen(result)) return Buffer.from(JSON.stringify(result ?? null));
  let json = frozenResultJson.get(result);
  if (json === undefined) frozenResultJson.set(result, (json = Buffer.from(JSON.stringify(result))));
  return json;
}

/**
 * `{"jsonrpc":2.0,"id":…,"error":null,"result":…}` as UTF-8, written by hand to keep `2.0` as
 * the seed has it. Bytes rather than text: a cached result is then copied, not encoded again.
 */
export function successResponse(version: VersionForm, id: RequestId, result: unknown): Buffer {
  const head = Buffer.from(`${RESPONSE_HEAD[version]}${JSON.stringify(id)},"error":null,"result":`);
  return Buffer.concat([head, resultJson(result), CLOSING_BRACE]);
}

export function errorResponse(version: VersionForm, id: RequestId, error: JsonRpcError): Buffer {
  return Buffer.from(
    `${RESPONSE_HEAD[version]}${JSON.stringify(id)},"error":${JSON.stringify({ code: error.code, message: error.message })},"result":null}`,
  );
}

/** The responses of a batch as one JSON array. */
export function batchResponse(responses: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  responses.forEach((response, index) => parts.push(index === 0 ? OPENING_BRACKET : COMMA, response));
  parts.push(CLOSING_BRACKET);
  return Buffer.concat(parts);
}

const OPENING_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSING_BRACKET = Buffer.from(']');

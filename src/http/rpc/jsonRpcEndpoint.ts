import type { Context } from 'koa';
import type { BasicCredentials, Caller, ShipStreamApi } from '../../app/rpc/shipStreamApi.ts';
import {
  batchResponse,
  errorResponse,
  INVALID_REQUEST,
  PARSE_ERROR,
  readRequest,
  successResponse,
  type JsonRpcError,
} from './jsonRpcEnvelope.ts';
import { toJsonRpcError } from './jsonRpcErrors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { ByteBudget } from '../byteBudget.ts';
import { readBodyPrefix, readLimitedBody, type LimitedBody } from './limitedBody.ts';
import { calledMethod, hasRpcCalls, recordRpcCall } from './rpcAccessLog.ts';

export const JSON_RPC_PATH = '/api/jsonrpc';

export interface JsonRpcEndpointDeps {
  api: ShipStreamApi;
  /** Largest request body (bytes): sized for the largest image in base64 plus the envelope. */
  maxBodyBytes: number;
  /** What a caller not yet known may send before the rest of its body is read: see {@link readKnownCallersBody}. */
  preauthBodyBytes: number;
  /** Body bytes all callers not yet known may hold together. */
  anonymousBodies: ByteBudget;
  /** Calls in one batch at most, and `login` calls among them. */
  batchMax: number;
  batchMaxLogins: number;
}

/** The first session id a body names as its first parameter (`"params": ["<32 hex>", …`), if any. */
const FIRST_SESSION = /"params"\s*:\s*\[\s*"([0-9a-f]{32})"/;

/**
 * `POST /api/jsonrpc`: the ShipStream JSON-RPC transport. Single requests and batches (JSON-RPC
 * 2.0: run in order, notifications get no response, an all-notification batch gets no body).
 * Every answer with a body is HTTP 200 with JSON-RPC errors inside, including a body that
 * cannot be parsed or is too large; there is never an HTTP 500.
 */
export function jsonRpcEndpoint(deps: JsonRpcEndpointDeps) {
  const tooLarge: JsonRpcError = { ...INVALID_REQUEST, message: `Invalid Request: the body is larger than ${deps.maxBodyBytes} bytes.` };

  const tooManyCalls: JsonRpcError = { ...INVALID_REQUEST, message: `Invalid Request: a batch holds at most ${deps.batchMax} calls.` };
  const tooManyLogins: JsonRpcError = { code: -32002, message: `Access denied. A batch holds at most ${deps.batchMaxLogins} logins.` };

  async function answer(ctx: Context, value: unknown, caller: Caller, batch?: { logins: number }): Promise<Buffer | undefined> {
    const read = readRequest(value);
    if ('invalid' in read) {
      recordRpcCall(ctx.state, { fault: INVALID_REQUEST.code });
      return errorResponse(read.invalid.version, read.invalid.id, INVALID_REQUEST);
    }
    const { request } = read;
    const method = calledMethod(request.method, request.params);
    // A batch is no way round the login throttle: logins past the cap are refused unchecked.
    if (batch !== undefined && request.method === 'login' && ++batch.logins > deps.batchMaxLogins) {
      recordRpcCall(ctx.state, { method, fault: tooManyLogins.code });
      return request.id === undefined ? undefined : errorResponse(request.version, request.id, tooManyLogins);
    }
    let response: Buffer;
    try {
      response = successResponse(request.version, request.id ?? null, await deps.api.dispatch(request.method, request.params, caller));
      recordRpcCall(ctx.state, { method, fault: null });
    } catch (error) {
      const fault = toJsonRpcError(error, ctx.state.logger);
      recordRpcCall(ctx.state, { method, fault: fault.code });
      response = errorResponse(request.version, request.id ?? null, fault);
    }
    return request.id === undefined ? undefined : response;
  }

  async function serve(ctx: Context): Promise<void> {
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      respond(ctx, 405, errorResponse('string', null, { ...INVALID_REQUEST, message: 'Invalid Request: use POST.' }));
      return;
    }
    const caller = new RequestCaller(ctx.state, basicCredentials(ctx.get('authorization')), ctx.ip);
    const body = await readKnownCallersBody(ctx, caller);
    if (body === undefined) return;
    if (body.tooLarge) return respond(ctx, 200, errorResponse('string', null, tooLarge));
    if (body.notUtf8) return respond(ctx, 200, errorResponse('string', null, PARSE_ERROR));
    let value: unknown;
    try {
      value = JSON.parse(body.text);
    } catch {
      return respond(ctx, 200, errorResponse('string', null, PARSE_ERROR));
    }
    if (!Array.isArray(value)) return respond(ctx, 200, await answer(ctx, value, caller));
    if (value.length === 0) return respond(ctx, 200, errorResponse('string', null, INVALID_REQUEST));
    if (value.length > deps.batchMax) return respond(ctx, 200, errorResponse('string', null, tooManyCalls));
    const responses: Buffer[] = [];
    const batch = { logins: 0 };
    for (const item of value) {
      const response = await answer(ctx, item, caller, batch);
      if (response !== undefined) responses.push(response);
    }
    respond(ctx, 200, responses.length === 0 ? undefined : batchResponse(responses));
  }

  /**
   * The body, read so that a caller not yet known costs little: with valid HTTP Basic
   * credentials it is read whole (to `maxBodyBytes`); otherwise at most `preauthBodyBytes` are
   * read first, from the budget shared by all such callers (503 when it is spent), and the rest
   * only when those first bytes name a live session. A larger body without one is answered
   * `-32005` at once and the connection closed: nothing more of it is read. `undefined`: answered.
   */
  async function readKnownCallersBody(ctx: Context, caller: RequestCaller): Promise<LimitedBody | undefined> {
    if (caller.basic !== undefined && deps.api.knowsCredentials(caller.basic, caller)) return readLimitedBody(ctx.req, deps.maxBodyBytes);
    const length = ctx.req.headers['content-length'];
    const declared = length === undefined || !/^\d{1,15}$/.test(length) ? deps.preauthBodyBytes : Number(length);
    const reserved = Math.min(declared, deps.preauthBodyBytes);
    if (!deps.anonymousBodies.reserve(reserved)) {
      ctx.set('Retry-After', '1');
      ctx.set('Connection', 'close');
      respond(ctx, 503, errorResponse('string', null, { code: -32000, message: 'Server busy: too many requests from unknown callers, retry in a second.' }));
      return undefined;
    }
    let read;
    try {
      read = await readBodyPrefix(ctx.req, deps.preauthBodyBytes, deps.maxBodyBytes);
    } finally {
      deps.anonymousBodies.release(reserved);
    }
    if (!('prefix' in read)) return read;
    const sessionId = FIRST_SESSION.exec(read.prefix.toString('latin1'))?.[1];
    if (sessionId === undefined || !(await deps.api.knowsSession(sessionId))) {
      ctx.set('Connection', 'close');
      respond(ctx, 200, errorResponse('string', null, { code: -32005, message: 'Session expired. Try to relogin.' }));
      return undefined;
    }
    return read.more(deps.maxBodyBytes);
  }

  return async function jsonRpc(ctx: Context): Promise<void> {
    try {
      await serve(ctx);
    } catch (error) {
      // The body could not be read (the client went away mid-request, ...): answer if anyone listens.
      respond(ctx, 200, errorResponse('string', null, toJsonRpcError(error, ctx.state.logger)));
    }
  };
}

/** The caller of the methods of one HTTP request: its audit facts, and its user for the access log. */
class RequestCaller implements Caller {
  readonly context: Caller['context'];

  constructor(
    private readonly state: Record<string, unknown>,
    readonly basic: BasicCredentials | undefined,
    readonly address: string,
  ) {
    this.context = { correlationId: state.correlationId as string, causationId: state.requestId as string };
    if (state.traceId !== undefined) this.context.traceId = state.traceId as string;
  }

  authenticated(user: string): void {
    this.state.actor = user;
  }

  internalError(error: unknown): void {
    // The same rendering as an error answer, for its log line; the answer itself is in place.
    toJsonRpcError(error, this.state.logger as Logger | undefined);
  }
}

/** A JSON body, or 204 with none (notifications only). */
function respond(ctx: Context, status: number, body: Buffer | undefined): void {
  // An error answered before any call was read (the body, the session, the load): its code is logged.
  if (body !== undefined && !hasRpcCalls(ctx.state)) recordRpcCall(ctx.state, { fault: transportFault(body) });
  if (body === undefined) {
    ctx.status = 204;
    return;
  }
  ctx.status = status;
  // Straight to Node: Koa's `type` setter looks the type up, and its `set` normalizes first.
  ctx.res.setHeader('Content-Type', 'application/json; charset=utf-8');
  // Bytes: for a string, Koa measures its UTF-8 length and Node then encodes it.
  ctx.body = body;
}

/** The code of a small error body built by `errorResponse`. */
function transportFault(body: Buffer): number | null {
  try {
    const code = (JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'number' ? code : null;
  } catch {
    return null;
  }
}

/** `Authorization: Basic base64(user:key)`; anything else is no credentials. */
export function basicCredentials(header: string): BasicCredentials | undefined {
  const match = /^basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

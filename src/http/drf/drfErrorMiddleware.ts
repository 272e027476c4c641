import type { Context, Next } from 'koa';
import { BusyError, isAppError } from '../../errors/appError.ts';
import { fieldLabel, metadataBody } from './optionsMetadata.ts';

const SERVER_ERROR = { detail: 'A server error occurred.' };
const SERVICE_UNAVAILABLE = { detail: 'Service temporarily unavailable, try again later.' };
const UNANSWERED_STATUSES = new Set([404, 405, 501]);

/** HTTP errors raised by Koa, the router and the body parser, in DRF's words. */
function detailForHttpError(ctx: Context, status: number, message: string): string {
  switch (status) {
    case 404:
      return 'Not found.';
    case 405:
      return `Method "${ctx.method}" not allowed.`;
    case 413:
      return 'Request body is too large.';
    case 415:
      return `Unsupported media type "${ctx.get('content-type')}" in request.`;
    case 501:
      return `Method "${ctx.method}" not implemented.`;
    default:
      return message;
  }
}

/**
 * Nothing answered (404), or the router answered 405/501 or an OPTIONS request with an Allow
 * header and no body. DRF's views answer OPTIONS too, so their Allow always lists it. A method
 * the router does not know at all (`TRACE`, `PURGE`, ...; the router's 501) is, as in DRF, one
 * the view does not allow: 405 where a route has the path, else 404.
 */
function answerUnanswered(ctx: Context): void {
  const allow = ctx.response.get('Allow');
  if (ctx.status === 501 && ctx.body === undefined) {
    ctx.status = typeof allow === 'string' && allow !== '' ? 405 : 404;
    if (ctx.status === 404) ctx.remove('Allow');
  }
  if (typeof allow === 'string' && allow !== '' && !allow.includes('OPTIONS')) ctx.set('Allow', `${allow}, OPTIONS`);
  if (ctx.method === 'OPTIONS' && ctx.status === 200) {
    // A view without metadata of its own (an extra action such as make_special): DRF's
    // SimpleMetadata still names it, as an action's name, and says what it renders and parses.
    const segment = ctx.path.split('/').filter((part) => part !== '' && !/^\d+$/.test(part)).pop() ?? '';
    ctx.body = metadataBody({ name: fieldLabel(segment) });
    return;
  }
  if (ctx.body === undefined && UNANSWERED_STATUSES.has(ctx.status)) {
    const status = ctx.status;
    ctx.body = { detail: detailForHttpError(ctx, status, '') };
    ctx.status = status; // setting a body would otherwise turn an implicit 404 into 200
  }
}

/**
 * The REST surface's one error middleware: renders every error as a DRF body
 * (`{"field": [..]}` for validation, `{"detail": ..}` otherwise). 5xx never leak internals:
 * the client gets DRF's generic text and the log gets the cause. A {@link BusyError} is no
 * fault: 503 with its own text and `Retry-After` (as DRF's `Throttled` answers 429), not logged
 * beyond the access line.
 */
export async function drfErrorMiddleware(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.body === undefined || ctx.body === '') answerUnanswered(ctx);
  } catch (error) {
    const { status, body } = render(ctx, error);
    if (status >= 500 && !(error instanceof BusyError)) ctx.state.logger?.error('request failed', { error: describe(error) });
    ctx.status = status;
    ctx.body = body;
    if (status === 401) ctx.set('WWW-Authenticate', 'Token');
    if (isAppError(error) && error.headers) ctx.set(error.headers);
  }
}

function render(ctx: Context, error: unknown): { status: number; body: unknown } {
  if (error instanceof BusyError) return { status: 503, body: { detail: error.message } };
  if (isAppError(error)) {
    if (error.status === 503) return { status: 503, body: SERVICE_UNAVAILABLE };
    if (!error.expose) return { status: error.status, body: SERVER_ERROR };
    return { status: error.status, body: error.details ?? { detail: error.message } };
  }
  const httpError = error as { status?: unknown; expose?: unknown; message?: string; headers?: Record<string, string> };
  if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    if (httpError.headers) ctx.set(httpError.headers);
    if (httpError.status === 400 && /json/i.test(String(httpError.message))) {
      return { status: 400, body: { detail: `JSON parse error - ${httpError.message}` } };
    }
    return { status: httpError.status, body: { detail: detailForHttpError(ctx, httpError.status, String(httpError.message)) } };
  }
  return { status: 500, body: SERVER_ERROR };
}

function describe(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  return { name: error.name, message: error.message, stack: error.stack, cause: error.cause === undefined ? undefined : describe(error.cause) };
}

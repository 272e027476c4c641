import type { Context, Next } from 'koa';
import { koaBody } from 'koa-body';
import { AppError } from '../../errors/appError.ts';

const JSON_LIMIT = '1mb';

function toAppError(error: Error & { status?: number; type?: string }): AppError {
  if (error.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large.', { status: 413, cause: error });
  if (error.status === 415) return new AppError('UNSUPPORTED_ENCODING', 'Unsupported request encoding.', { status: 415, cause: error });
  return new AppError('PARSE_ERROR', `JSON parse error - ${error.message}`, { status: 400, cause: error });
}

const parse = koaBody({
  json: true,
  urlencoded: true,
  text: false,
  multipart: false,
  jsonLimit: JSON_LIMIT,
  formLimit: JSON_LIMIT,
  jsonStrict: false,
  onError: (error) => {
    throw toAppError(error as Error & { status?: number });
  },
});

const PARSED_TYPES = ['json', 'urlencoded'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * DRF's parsers for JSON and form bodies. A body of any other media type is a 415 with DRF's
 * text, so a client sending the wrong Content-Type learns why nothing happened.
 */
export async function bodyParser(ctx: Context, next: Next): Promise<void> {
  if (!BODY_METHODS.has(ctx.method)) return next();
  if (ctx.request.length !== undefined || ctx.get('transfer-encoding')) {
    if (ctx.request.length !== 0 && !ctx.is(PARSED_TYPES)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported media type "${ctx.get('content-type')}" in request.`, { status: 415 });
    }
  }
  await parse(ctx, next);
}

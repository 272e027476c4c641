import { createHash } from 'node:crypto';
import { spooledContents, type SpooledFile } from './spooledFile.ts';
import type { Context, Next } from 'koa';
import type { IdempotentRequests } from '../../app/idempotency/idempotentRequests.ts';
import { AppError, isAppError } from '../../errors/appError.ts';
import { commandContext } from '../requestContext.ts';

export { IDEMPOTENCY_RETENTION_MS } from '../../app/idempotency/idempotentRequests.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];
/** Answers a retry does not get again: it runs anew (the key is released). */
const NOT_KEPT = new Set([401, 403, 409, 412, 429]);

/**
 * `Idempotency-Key` on POST: the first request with a key is run and its response (2xx or a
 * client error) remembered per user and key for a day, in the event store, so on every instance;
 * a retry with the same key and the same request gets that response again (`Idempotent-Replayed:
 * true`) and creates nothing; the same key with another request is a 422. Retries of a request
 * still running wait for it, wherever it runs. Requests without a user (there are none behind the
 * token check) are never remembered. See app/idempotency/idempotentRequests.ts.
 */
export function idempotency(requests: IdempotentRequests) {
  // Not `async` itself: requests without a key (most of them) pass straight on.
  return function idempotentRequests(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'POST' || ctx.state.actor === undefined) return next();
    const key = ctx.get('idempotency-key');
    return key === '' ? next() : answerOnce(ctx, next, key);
  };

  async function answerOnce(ctx: Context, next: Next, key: string): Promise<void> {
    if (!KEY.test(key)) throw new AppError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible characters.', { status: 400 });
    const outcome = await requests.begin(String(ctx.state.actor), key, await fingerprintOf(ctx), commandContext(ctx, 'rest'));
    if (outcome.kind === 'reused') {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.', { status: 422 });
    }
    if (outcome.kind === 'replay') {
      ctx.status = outcome.answer.status;
      ctx.set(outcome.answer.headers);
      ctx.set('Idempotent-Replayed', 'true');
      ctx.body = outcome.answer.body;
      return;
    }
    // An error thrown past this point is answered by the error middleware outside: its answer is
    // not seen here, so it is not kept (as before keys were shared).
    try {
      await next();
    } catch (error) {
      await outcome.finish({ status: isAppError(error) ? error.status : 500, headers: {}, body: '' }, false);
      throw error;
    }
    const { status } = ctx;
    if (status >= 500 || NOT_KEPT.has(status)) return outcome.finish({ status, headers: {}, body: '' }, false);
    const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((name) => (ctx.response.get(name) ? [[name, ctx.response.get(name)]] : [])));
    const body = ctx.body === undefined || ctx.body === null ? '' : typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body);
    await outcome.finish({ status, headers, body }, true);
  }
}

/** What the request asks: method, path and body (multipart files by their content hash). */
async function fingerprintOf(ctx: Context): Promise<string> {
  const hash = createHash('sha256').update(`${ctx.method} ${ctx.path}\n`).update(JSON.stringify(ctx.request.body ?? null));
  const files = (ctx.request as { files?: Record<string, SpooledFile | SpooledFile[]> }).files ?? {};
  for (const name of Object.keys(files).sort()) {
    for (const file of ([] as SpooledFile[]).concat(files[name]!)) {
      if (file.filepath) hash.update(`\n${name}:`).update(await spooledContents(file));
    }
  }
  return hash.digest('hex');
}

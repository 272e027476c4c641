import { createHash } from 'node:crypto';
import { spooledContents, type SpooledFile } from './spooledFile.ts';
import type { Context, Next } from 'koa';
import { AppError } from '../../errors/appError.ts';
import type { IdempotencyStore } from '../../ports/idempotencyStore.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];
/** How long an answer is remembered: a retry after that runs as a new request (as Stripe's 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;
/** Answers past their retention are removed at most this often. */
const FORGET_EVERY_MS = 60 * 60_000;

/**
 * `Idempotency-Key` on POST: the first request with a key is run and its response (2xx or a
 * client error) remembered per user and key for a day; a retry with the same key and the same
 * request gets that response again and creates nothing; the same key with another request is a
 * 422. Concurrent retries of a request still running wait for it. Requests without a user
 * (there are none behind the token check) are never remembered.
 */
export function idempotency(store: IdempotencyStore, clock: () => string) {
  const running = new Map<string, Promise<void>>();
  let forgottenAt = 0;

  // Not `async` itself: requests without a key (most of them) pass straight on.
  return function idempotentRequests(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'POST' || ctx.state.actor === undefined) return next();
    const key = ctx.get('idempotency-key');
    return key === '' ? next() : answerOnce(ctx, next, key);
  };

  /** The remembered answer for `scope`, unless it is past its retention; forgets old ones now and then. */
  function rememberedAnswer(ctx: Context, scope: string) {
    const now = Date.parse(clock());
    if (now - forgottenAt >= FORGET_EVERY_MS) {
      forgottenAt = now;
      store.forgetAnsweredBefore(new Date(now - IDEMPOTENCY_RETENTION_MS).toISOString()).catch((error: unknown) => {
        ctx.state.logger?.error('forgetting old idempotency keys failed', { error: String(error) });
      });
    }
    const remembered = store.get(scope);
    return remembered !== undefined && now - Date.parse(remembered.at) < IDEMPOTENCY_RETENTION_MS ? remembered : undefined;
  }

  async function answerOnce(ctx: Context, next: Next, key: string): Promise<void> {
    if (!KEY.test(key)) throw new AppError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible characters.', { status: 400 });
    const scope = `${String(ctx.state.actor)}\n${key}`;
    const fingerprint = await fingerprintOf(ctx);

    await running.get(scope);
    const remembered = rememberedAnswer(ctx, scope);
    if (remembered) {
      if (remembered.fingerprint !== fingerprint) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.', { status: 422 });
      }
      ctx.status = remembered.status;
      ctx.set(remembered.headers);
      ctx.set('Idempotent-Replayed', 'true');
      ctx.body = remembered.body;
      return;
    }

    let done!: () => void;
    running.set(scope, new Promise<void>((resolve) => (done = resolve)));
    try {
      await next();
      if (ctx.status < 500 && ![401, 403, 409, 412, 429].includes(ctx.status)) {
        const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((name) => (ctx.response.get(name) ? [[name, ctx.response.get(name)]] : [])));
        const body = ctx.body === undefined || ctx.body === null ? '' : typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body);
        // A write that happened is answered even when its answer cannot be kept (a full disk):
        // an error here would make the client retry a write that is stored.
        await store.remember(scope, { fingerprint, status: ctx.status, headers, body, at: clock() }).catch((error: unknown) => {
          ctx.state.logger?.warn('idempotency key not remembered', { error: String(error) });
        });
      }
    } finally {
      running.delete(scope);
      done();
    }
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

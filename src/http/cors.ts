import type { Context, Middleware, Next } from 'koa';

/** Request headers a browser client of the API may send (its credentials travel in `Authorization`). */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Idempotency-Key, If-Match, If-None-Match, X-Request-ID, X-Correlation-ID, traceparent, tracestate';
/** Response headers a browser script may read. */
const EXPOSED_HEADERS = 'ETag, Location, Retry-After, X-Request-ID, X-Correlation-ID, Idempotent-Replayed';
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
/** How long a browser may keep a preflight's answer (seconds). */
const PREFLIGHT_MAX_AGE = '600';

/**
 * `CORS_ORIGINS`: the origins (`https://admin.example.com`, or `*` for any) whose browser scripts
 * may call the API. Unset: no CORS header at all, so browsers keep other origins out.
 * @throws nothing; each bad entry is added to `problems`.
 */
export function parseCorsOrigins(value: string | undefined, problems: string[]): readonly string[] {
  if (value === undefined) return [];
  const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
  const valid = origins.filter((origin) => {
    const ok = origin === '*' || isOrigin(origin);
    if (!ok) problems.push(`CORS_ORIGINS entries must be origins such as https://admin.example.com (scheme, host, optional port) or *, got "${origin}"`);
    return ok;
  });
  // As browsers send them: a trailing slash dropped.
  return [...new Set(valid.map((origin) => (origin === '*' ? origin : new URL(origin).origin)))];
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '').toLowerCase();
  } catch {
    return false;
  }
}

/**
 * CORS for browser clients of the API. A preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) from an allowed origin is answered 204 here, before any
 * credentials are asked for (browsers never send them on a preflight); other requests go on and
 * get the headers that let the browser hand the response to the script. Credentials are the
 * `Authorization` header, never cookies, so `Access-Control-Allow-Credentials` is not sent.
 * With no origins configured this is not installed at all.
 */
export function cors(origins: readonly string[]): Middleware | undefined {
  if (origins.length === 0) return undefined;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return function corsHeaders(ctx: Context, next: Next) {
    const origin = ctx.req.headers.origin;
    if (origin === undefined) return next();
    const res = ctx.res;
    res.setHeader('Vary', 'Origin');
    if (!any && !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (ctx.method === 'OPTIONS' && ctx.req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
      ctx.status = 204;
      return Promise.resolve();
    }
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    return next();
  };
}

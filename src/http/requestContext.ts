import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { RequestContext } from '../app/commandHandler.ts';
import type { Api } from '../domain/eventMetadata.ts';
import type { Logger } from '../logging/logger.ts';
import { rpcFaultsOf, rpcMethodsOf } from './rpc/rpcAccessLog.ts';
import { noteRouteTemplate, traceIdOf } from '../observability/requestTraces.ts';

const SAFE_ID = /^[\w.:@/+=-]{1,128}$/;
/** The query string in the access line, at most (the URL itself is bounded by Node's header limit). */
const MAX_LOGGED_QUERY_CHARS = 2048;

/**
 * What the middleware leaves in `ctx.state`. The request's logger (bound to its id) is made on
 * first use: most requests log only their access line, which names the id itself.
 */
class RequestState {
  actor?: unknown;
  private boundLogger?: Logger;

  constructor(
    readonly requestId: string,
    readonly correlationId: string,
    private readonly serviceLogger: Logger,
    /** The request's trace (src/observability/httpObserver.ts), when it has one. */
    readonly traceId: string | undefined,
  ) {}

  get logger(): Logger {
    this.boundLogger ??= this.serviceLogger.child({ requestId: this.requestId });
    return this.boundLogger;
  }
}

/**
 * Gives every request an id (`X-Request-ID`, echoed or generated), a correlation id
 * (`X-Correlation-ID`, echoed or the request id), a logger bound to the request id, and one
 * access-log line when it ends: method, path, query string, status, duration, actor, the
 * client's correlation id, and for JSON-RPC the method(s) called and their fault codes.
 */
export function requestContextMiddleware(logger: Logger) {
  // Reads and writes go to the Node request and response directly: Koa's context delegates cost
  // more than the work here.
  return async function requestContext(ctx: Context, next: Next): Promise<void> {
    const started = performance.now();
    const { req, res } = ctx;
    const inboundRequestId = req.headers['x-request-id'];
    const requestId = typeof inboundRequestId === 'string' && SAFE_ID.test(inboundRequestId) ? inboundRequestId : randomUUID();
    const inboundCorrelationId = req.headers['x-correlation-id'];
    const correlationId = typeof inboundCorrelationId === 'string' && SAFE_ID.test(inboundCorrelationId) ? inboundCorrelationId : requestId;
    const state = new RequestState(requestId, correlationId, logger, traceIdOf(req));
    ctx.state = state;
    res.setHeader('X-Request-ID', requestId);
    res.setHeader('X-Correlation-ID', correlationId);
    try {
      await next();
    } finally {
      const query = ctx.request.querystring;
      const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      if (typeof route === 'string') noteRouteTemplate(req, route);
      logger.info('request', {
        requestId,
        method: req.method,
        path: ctx.request.path,
        query: query === '' ? undefined : query.length > MAX_LOGGED_QUERY_CHARS ? `${query.slice(0, MAX_LOGGED_QUERY_CHARS)}…` : query,
        status: ctx.response.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        actor: state.actor,
        // Only the client's own: most requests send none, and then it is the request id.
        correlationId: correlationId === requestId ? undefined : correlationId,
        rpcMethods: rpcMethodsOf(state),
        rpcFaults: rpcFaultsOf(state),
        traceId: state.traceId,
      });
    }
  };
}

/** The audit facts of this request, for the command handler. */
export function commandContext(ctx: Context, api: Api): RequestContext {
  return {
    actor: String(ctx.state.actor ?? 'anonymous'),
    api,
    correlationId: ctx.state.correlationId,
    causationId: ctx.state.requestId,
    ...(ctx.state.traceId === undefined ? {} : { traceId: ctx.state.traceId }),
  };
}

import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { RequestContext } from '../app/commandHandler.ts';
import type { Api } from '../domain/eventMetadata.ts';
import type { Logger } from '../logging/logger.ts';

const SAFE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Gives every request an id (`X-Request-ID`, echoed or generated), a correlation id
 * (`X-Correlation-ID`, echoed or the request id), a logger bound to both, and one access-log
 * line when it ends.
 */
export function requestContextMiddleware(logger: Logger) {
  return async function requestContext(ctx: Context, next: Next): Promise<void> {
    const started = performance.now();
    const inboundRequestId = ctx.get('x-request-id');
    const requestId = SAFE_ID.test(inboundRequestId) ? inboundRequestId : randomUUID();
    const inboundCorrelationId = ctx.get('x-correlation-id');
    const correlationId = SAFE_ID.test(inboundCorrelationId) ? inboundCorrelationId : requestId;
    ctx.state.requestId = requestId;
    ctx.state.correlationId = correlationId;
    ctx.state.logger = logger.child({ requestId });
    ctx.set('X-Request-ID', requestId);
    ctx.set('X-Correlation-ID', correlationId);
    try {
      await next();
    } finally {
      ctx.state.logger.info('request', {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        actor: ctx.state.actor,
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
  };
}

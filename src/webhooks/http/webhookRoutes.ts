import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../errors/appError.ts';
import { booleanField, charField, parseBody } from '../../http/drf/serializerFields.ts';
import { commandContext } from '../../http/requestContext.ts';
import { parseCursor } from '../../http/rest/feedRequests.ts';
import { pathPk } from '../../http/rest/pathPk.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { AttemptLog } from '../app/attemptLog.ts';
import type { Webhook, WebhookRegistry } from '../app/webhookRegistry.ts';
import { signedHeaders } from '../domain/webhookSignature.ts';
import type { WebhookSender } from '../adapters/webhookSender.ts';
import { eventTypesField, productPksField, urlField } from './webhookFields.ts';

export const WEBHOOKS_PATH = '/api/v1/webhooks';
const MAX_DELIVERIES = 100;

/** A subscription as the API shows it (never its secret: that is only in the answers that make one). */
export function representWebhook(webhook: Webhook) {
  return {
    pk: webhook.webhookPk,
    url: webhook.url,
    events: webhook.events,
    products: webhook.products,
    description: webhook.description,
    active: webhook.status === 'active',
    disabled_reason: webhook.disabledReason,
    created_date: webhook.createdAt,
  };
}

export interface WebhookRoutesDeps {
  registry: WebhookRegistry;
  attempts: AttemptLog;
  sender: WebhookSender;
  eventStore: EventStore;
  /** Refuses a URL the SSRF guard would not reach. @throws ValidationError `{"url": [...]}` */
  checkTarget(url: string): Promise<void>;
  maxSubscriptions: number;
  now(): number;
}

/**
 * `/api/v1/webhooks/`: subscriptions to the gallery events (DRF conventions, credentials required
 * like every route under /api/). POST answers the signing secret, once.
 */
export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const router = new Router({ prefix: WEBHOOKS_PATH });
  const found = async (pk: number) => (await deps.registry.get(pk)) ?? Promise.reject(new NotFoundError());

  router.get('/', async (ctx) => {
    const results = (await deps.registry.list()).map(representWebhook);
    ctx.body = { count: results.length, next: null, previous: null, results };
  });

  router.post('/', async (ctx) => {
    const body = parseBody(ctx.request.body, {
      url: urlField(true),
      events: eventTypesField,
      products: productPksField,
      description: charField({ required: false, maxLength: 255, allowBlank: true, default: '' }),
    });
    await deps.checkTarget(body.url!);
    if ((await deps.registry.list()).length >= deps.maxSubscriptions) {
      throw new ValidationError({ non_field_errors: [`No more than ${deps.maxSubscriptions} webhooks may exist.`] }, 'TOO_MANY_WEBHOOKS');
    }
    const webhook = await deps.registry.create(
      { url: body.url!, events: body.events ?? null, products: body.products ?? null, description: body.description ?? '' },
      commandContext(ctx, 'rest'),
    );
    ctx.status = 201;
    ctx.body = { ...representWebhook(webhook), secret: webhook.secret };
  });

  router.get('/:pk', async (ctx) => {
    ctx.body = representWebhook(await found(pathPk(ctx)));
  });

  router.patch('/:pk', async (ctx) => {
    const pk = pathPk(ctx);
    await found(pk);
    const body = parseBody(
      ctx.request.body,
      { url: urlField(false), events: eventTypesField, products: productPksField, description: charField({ required: false, maxLength: 255, allowBlank: true }), active: booleanField({ required: false }) },
      { partial: true },
    );
    if (body.url !== undefined) await deps.checkTarget(body.url);
    ctx.body = representWebhook(await deps.registry.change(pk, body, commandContext(ctx, 'rest')));
  });

  router.delete('/:pk', async (ctx) => {
    const pk = pathPk(ctx);
    await found(pk);
    await deps.registry.delete(pk, commandContext(ctx, 'rest'));
    ctx.status = 204;
  });

  router.post('/:pk/rotate_secret', async (ctx) => {
    const webhook = await deps.registry.rotateSecret(pathPk(ctx), commandContext(ctx, 'rest'));
    ctx.body = { ...representWebhook(webhook), secret: webhook.secret };
  });

  router.post('/:pk/replay', async (ctx) => {
    const pk = pathPk(ctx);
    await found(pk);
    const input = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof input !== 'object' || Array.isArray(input) || input === null || !('after' in input)) throw ValidationError.field('after', 'This field is required.');
    const text = typeof input.after === 'number' ? String(input.after) : input.after;
    if (typeof text !== 'string') throw ValidationError.field('after', 'Invalid cursor.');
    const after = await parseCursor(deps.eventStore, text);
    const webhook = await deps.registry.replay(pk, after ?? null, commandContext(ctx, 'rest'));
    ctx.status = 202;
    ctx.body = { ...representWebhook(webhook), replay_after: after ?? '0' };
  });

  router.post('/:pk/ping', async (ctx) => {
    const webhook = await found(pathPk(ctx));
    const id = `ping_${randomUUID()}`;
    const body = JSON.stringify({ type: 'WebhookPing', webhook: webhook.webhookPk, sent_at: new Date(deps.now()).toISOString() });
    const result = await deps.sender.send(webhook.url, signedHeaders(webhook.secret, id, Math.floor(deps.now() / 1000), body), body);
    const attempt = {
      webhookPk: webhook.webhookPk,
      eventId: id,
      position: null,
      attempt: 1,
      status: result.status ?? null,
      latencyMs: result.latencyMs,
      error: result.error ?? null,
      attemptedAt: new Date(deps.now()).toISOString(),
    };
    deps.attempts.record(attempt);
    ctx.body = representAttempt(attempt);
  });

  router.get('/:pk/deliveries', async (ctx) => {
    const pk = pathPk(ctx);
    await found(pk);
    await deps.attempts.flush();
    const results = (await deps.attempts.recent(pk, MAX_DELIVERIES)).map(representAttempt);
    ctx.body = { count: results.length, next: null, previous: null, results };
  });

  return router;
}

function representAttempt(attempt: Parameters<AttemptLog['record']>[0]) {
  return {
    webhook_id: attempt.eventId,
    position: attempt.position,
    attempt: attempt.attempt,
    status_code: attempt.status,
    latency_ms: attempt.latencyMs,
    error: attempt.error,
    attempted_date: attempt.attemptedAt,
  };
}

import type { AllocatePk } from '../../app/pkAllocator.ts';
import type { HandleCommand, RequestContext } from '../../app/commandHandler.ts';
import { fold } from '../../domain/decider.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import { pkSequenceStream } from '../../domain/product/productStreams.ts';
import { NotFoundError } from '../../errors/appError.ts';
import { webhookDecider, type WebhookCommand, type WebhookSettings, type WebhookState } from '../domain/webhookDecider.ts';
import type { WebhookEvent } from '../domain/webhookEvents.ts';
import { newWebhookSecret } from '../domain/webhookSignature.ts';
import { webhookStream } from '../domain/webhookStreams.ts';
import type { WithoutMetadata } from '../../app/commandHandler.ts';

/** A subscription that exists (not deleted), with its pk. */
export type Webhook = Extract<WebhookState, { webhookPk: number }>;

/**
 * The subscriptions, read straight from their streams (`webhook-<pk>`): every instance answers
 * from the event store, so a write on one is seen at once on all. Pks come from
 * `pkSequence-webhook`, whose length is the highest pk ever given: the list reads each stream up
 * to it (their number is capped by WEBHOOK_MAX_SUBSCRIPTIONS).
 */
export function webhookRegistry(deps: { eventStore: EventStore; handle: HandleCommand; allocatePk: AllocatePk; newSecret?: () => string }) {
  const newSecret = deps.newSecret ?? newWebhookSecret;

  async function state(webhookPk: number): Promise<WebhookState> {
    const events = await deps.eventStore.readStream(webhookStream(webhookPk));
    return fold(webhookDecider, events.map((event) => ({ type: event.type, data: event.data }) as WebhookEvent));
  }

  async function run(webhookPk: number, command: WithoutMetadata<WebhookCommand>, context: RequestContext): Promise<Webhook> {
    const handled = await deps.handle(webhookStream(webhookPk), webhookDecider, command, context);
    const after = handled.state;
    if (after.status !== 'active' && after.status !== 'disabled') throw new NotFoundError();
    return after;
  }

  return {
    /** One subscription; undefined when it never existed or was deleted. */
    async get(webhookPk: number): Promise<Webhook | undefined> {
      const current = await state(webhookPk);
      return current.status === 'active' || current.status === 'disabled' ? current : undefined;
    },

    /** Every subscription not deleted, by pk. */
    async list(): Promise<Webhook[]> {
      const [last] = await deps.eventStore.readStream(pkSequenceStream('webhook'), { direction: 'backwards', maxCount: 1 });
      const highest = last === undefined ? 0 : last.revision + 1;
      const states = await Promise.all(Array.from({ length: highest }, (_, index) => state(index + 1)));
      return states.filter((each): each is Webhook => each.status === 'active' || each.status === 'disabled');
    },

    async create(settings: WebhookSettings, context: RequestContext): Promise<Webhook> {
      const webhookPk = await deps.allocatePk('webhook', context);
      return run(webhookPk, { type: 'CreateWebhook', data: { ...settings, webhookPk, secret: newSecret() } }, context);
    },
    change: (webhookPk: number, changes: Extract<WebhookCommand, { type: 'ChangeWebhook' }>['data'], context: RequestContext) =>
      run(webhookPk, { type: 'ChangeWebhook', data: changes }, context),
    rotateSecret: (webhookPk: number, context: RequestContext) => run(webhookPk, { type: 'RotateWebhookSecret', data: { secret: newSecret() } }, context),
    disable: (webhookPk: number, reason: string, context: RequestContext) => run(webhookPk, { type: 'DisableWebhook', data: { reason } }, context),
    replay: (webhookPk: number, after: string | null, context: RequestContext) => run(webhookPk, { type: 'ReplayWebhook', data: { after } }, context),
    async delete(webhookPk: number, context: RequestContext): Promise<void> {
      await deps.handle(webhookStream(webhookPk), webhookDecider, { type: 'DeleteWebhook', data: {} }, context);
    },
  };
}

export type WebhookRegistry = ReturnType<typeof webhookRegistry>;

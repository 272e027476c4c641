import type { Command, Decider } from '../../domain/decider.ts';
import { DomainRuleError, NotFoundError } from '../../errors/appError.ts';
import type { WebhookEvent, WebhookFilter } from './webhookEvents.ts';

/** A subscription as its stream folds. */
export type WebhookState =
  | { status: 'none' }
  | (WebhookFilter & {
      status: 'active' | 'disabled';
      webhookPk: number;
      url: string;
      description: string;
      secret: string;
      createdAt: string;
      /** Why delivery stopped by itself (410, retries exhausted); `null` when a client disabled it or it is active. */
      disabledReason: string | null;
      /** Number of `WebhookReplayRequested` events so far, and the last one's `after`. */
      replays: number;
      replayAfter: string | null;
    })
  | { status: 'deleted' };

export type WebhookSettings = WebhookFilter & { url: string; description: string };

export type CreateWebhook = Command<'CreateWebhook', WebhookSettings & { webhookPk: number; secret: string }>;
export type ChangeWebhook = Command<'ChangeWebhook', Partial<WebhookSettings> & { active?: boolean }>;
export type RotateWebhookSecret = Command<'RotateWebhookSecret', { secret: string }>;
export type DisableWebhook = Command<'DisableWebhook', { reason: string }>;
export type DeleteWebhook = Command<'DeleteWebhook', Record<string, never>>;
export type ReplayWebhook = Command<'ReplayWebhook', { after: string | null }>;
export type WebhookCommand = CreateWebhook | ChangeWebhook | RotateWebhookSecret | DisableWebhook | DeleteWebhook | ReplayWebhook;

type Live = Extract<WebhookState, { webhookPk: number }>;

function live(state: WebhookState): Live {
  if (state.status === 'none' || state.status === 'deleted') throw new NotFoundError();
  return state;
}

const sameList = (a: readonly unknown[] | null, b: readonly unknown[] | null) =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((item, index) => item === b[index]));

/**
 * Subscriptions: created once (by pk), changed by a client, disabled by the deliverer, deleted.
 * A change that changes nothing emits nothing; a deleted or unknown subscription is 404.
 */
export const webhookDecider: Decider<WebhookState, WebhookCommand, WebhookEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state): WebhookEvent[] {
    switch (command.type) {
      case 'CreateWebhook': {
        if (state.status !== 'none') throw new DomainRuleError('WEBHOOK_EXISTS', `Webhook ${command.data.webhookPk} already exists.`);
        return [{ type: 'WebhookCreated', data: { ...command.data, createdAt: command.metadata.now } }];
      }
      case 'ChangeWebhook': {
        const current = live(state);
        const next = {
          webhookPk: current.webhookPk,
          url: command.data.url ?? current.url,
          events: command.data.events === undefined ? current.events : command.data.events,
          products: command.data.products === undefined ? current.products : command.data.products,
          description: command.data.description ?? current.description,
          active: command.data.active ?? current.status === 'active',
        };
        const unchanged =
          next.url === current.url &&
          next.description === current.description &&
          next.active === (current.status === 'active') &&
          sameList(next.events, current.events) &&
          sameList(next.products, current.products);
        return unchanged ? [] : [{ type: 'WebhookChanged', data: next }];
      }
      case 'RotateWebhookSecret':
        return [{ type: 'WebhookSecretRotated', data: { webhookPk: live(state).webhookPk, secret: command.data.secret } }];
      case 'DisableWebhook': {
        const current = live(state);
        if (current.status === 'disabled') return [];
        return [{ type: 'WebhookDisabled', data: { webhookPk: current.webhookPk, reason: command.data.reason } }];
      }
      case 'DeleteWebhook':
        return [{ type: 'WebhookDeleted', data: { webhookPk: live(state).webhookPk } }];
      case 'ReplayWebhook':
        return [{ type: 'WebhookReplayRequested', data: { webhookPk: live(state).webhookPk, after: command.data.after } }];
      default: {
        const unknown: never = command;
        throw new Error(`Unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event): WebhookState {
    switch (event.type) {
      case 'WebhookCreated': {
        const { webhookPk, url, events, products, description, secret, createdAt } = event.data;
        return { status: 'active', webhookPk, url, events, products, description, secret, createdAt, disabledReason: null, replays: 0, replayAfter: null };
      }
      case 'WebhookChanged': {
        if (state.status !== 'active' && state.status !== 'disabled') return state;
        const { url, events, products, description, active } = event.data;
        return { ...state, url, events, products, description, status: active ? 'active' : 'disabled', disabledReason: null };
      }
      case 'WebhookSecretRotated':
        return state.status === 'active' || state.status === 'disabled' ? { ...state, secret: event.data.secret } : state;
      case 'WebhookDisabled':
        return state.status === 'active' ? { ...state, status: 'disabled', disabledReason: event.data.reason } : state;
      case 'WebhookDeleted':
        return { status: 'deleted' };
      case 'WebhookReplayRequested':
        return state.status === 'active' || state.status === 'disabled' ? { ...state, replays: state.replays + 1, replayAfter: event.data.after } : state;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

import { suite } from 'uvu';
import { deciderSpec } from '../support/deciderSpec.ts';
import { webhookDecider, type WebhookCommand } from '../../src/webhooks/domain/webhookDecider.ts';
import type { WebhookEvent } from '../../src/webhooks/domain/webhookEvents.ts';

const spec = deciderSpec(webhookDecider);
const metadata = { now: '2024-05-25T10:00:00.000000Z' };
const created: WebhookEvent = {
  type: 'WebhookCreated',
  data: { webhookPk: 3, url: 'https://a.example/h', events: null, products: [1], description: '', secret: 'whsec_a', createdAt: metadata.now },
};
const change = (data: Extract<WebhookCommand, { type: 'ChangeWebhook' }>['data']): WebhookCommand => ({ type: 'ChangeWebhook', data, metadata });

const test = suite('the webhook decider');

test('CreateWebhook records the settings, the secret and the time', () => {
  spec.given([]).when({ type: 'CreateWebhook', data: { webhookPk: 3, url: 'https://a.example/h', events: null, products: [1], description: '', secret: 'whsec_a' }, metadata }).then([created]);
  spec.given([created]).when({ type: 'CreateWebhook', data: { webhookPk: 3, url: 'u', events: null, products: null, description: '', secret: 's' }, metadata }).thenThrows('WEBHOOK_EXISTS', 'Webhook 3 already exists.');
});

test('ChangeWebhook records the whole new settings, and nothing when nothing changes', () => {
  spec.given([created]).when(change({ events: ['ImageDeleted'] })).then([
    { type: 'WebhookChanged', data: { webhookPk: 3, url: 'https://a.example/h', events: ['ImageDeleted'], products: [1], description: '', active: true } },
  ]);
  spec.given([created]).when(change({ products: [1], active: true, url: 'https://a.example/h' })).then([]);
  spec.given([created]).when(change({ products: null })).then([
    { type: 'WebhookChanged', data: { webhookPk: 3, url: 'https://a.example/h', events: null, products: null, description: '', active: true } },
  ]);
});

test('a disabled subscription is re-enabled by active: true, which clears the reason', () => {
  const disabled: WebhookEvent = { type: 'WebhookDisabled', data: { webhookPk: 3, reason: 'gone' } };
  spec.given([created, disabled]).when({ type: 'DisableWebhook', data: { reason: 'again' }, metadata }).then([]);
  spec.given([created, disabled]).when(change({ active: true })).then([
    { type: 'WebhookChanged', data: { webhookPk: 3, url: 'https://a.example/h', events: null, products: [1], description: '', active: true } },
  ]);
  spec.given([created]).when({ type: 'DisableWebhook', data: { reason: 'gone' }, metadata }).then([disabled]);
});

test('a deleted or unknown subscription is not found for every command', () => {
  const deleted: WebhookEvent = { type: 'WebhookDeleted', data: { webhookPk: 3 } };
  const commands: WebhookCommand[] = [
    change({ active: false }),
    { type: 'RotateWebhookSecret', data: { secret: 's' }, metadata },
    { type: 'DisableWebhook', data: { reason: 'r' }, metadata },
    { type: 'DeleteWebhook', data: {}, metadata },
    { type: 'ReplayWebhook', data: { after: null }, metadata },
  ];
  for (const command of commands) {
    spec.given([created, deleted]).when(command).thenThrows('NOT_FOUND', 'Not found.');
    spec.given([]).when(command).thenThrows('NOT_FOUND', 'Not found.');
  }
});

test('RotateWebhookSecret, ReplayWebhook and DeleteWebhook record their events', () => {
  spec.given([created]).when({ type: 'RotateWebhookSecret', data: { secret: 'whsec_b' }, metadata }).then([{ type: 'WebhookSecretRotated', data: { webhookPk: 3, secret: 'whsec_b' } }]);
  spec.given([created]).when({ type: 'ReplayWebhook', data: { after: '00ff' }, metadata }).then([{ type: 'WebhookReplayRequested', data: { webhookPk: 3, after: '00ff' } }]);
  spec.given([created]).when({ type: 'DeleteWebhook', data: {}, metadata }).then([{ type: 'WebhookDeleted', data: { webhookPk: 3 } }]);
});

test.run();

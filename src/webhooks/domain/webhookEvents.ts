import type { DomainEvent } from '../../domain/decider.ts';

/** What a subscription asks for; `null` filters mean every gallery event type / every product. */
export interface WebhookFilter {
  /** Event types delivered, or `null` for every gallery event. */
  events: string[] | null;
  /** Product pks delivered, or `null` for every product. */
  products: number[] | null;
}

/** A subscription was created (stream `webhook-<pk>`). The secret is stored so every instance can sign. */
export type WebhookCreated = DomainEvent<
  'WebhookCreated',
  WebhookFilter & { webhookPk: number; url: string; description: string; secret: string; createdAt: string }
>;

/** A client changed the subscription (PATCH): the whole new settings, so the event reads alone. */
export type WebhookChanged = DomainEvent<'WebhookChanged', WebhookFilter & { webhookPk: number; url: string; description: string; active: boolean }>;

/** A new signing secret replaced the old one. */
export type WebhookSecretRotated = DomainEvent<'WebhookSecretRotated', { webhookPk: number; secret: string }>;

/** Delivery stopped by itself: the receiver answered 410 Gone, or an event kept failing for WEBHOOK_RETRY_HOURS. */
export type WebhookDisabled = DomainEvent<'WebhookDisabled', { webhookPk: number; reason: string }>;

/** The subscription was deleted; nothing is delivered to it any more. */
export type WebhookDeleted = DomainEvent<'WebhookDeleted', { webhookPk: number }>;

/** A client asked for every event after `after` (`null`: the start of the log) to be delivered again. */
export type WebhookReplayRequested = DomainEvent<'WebhookReplayRequested', { webhookPk: number; after: string | null }>;

export type WebhookEvent = WebhookCreated | WebhookChanged | WebhookSecretRotated | WebhookDisabled | WebhookDeleted | WebhookReplayRequested;

/**
 * The instance `holder` delivers the subscription until `expiresAt`; everything up to `checkpoint`
 * (a `$all` position, `null` = the start) is acknowledged. Stream `webhookDelivery-<pk>`; each event
 * is self-contained, appended at the expected revision (take-over and renewal alike).
 * `replayRevision` counts the `WebhookReplayRequested` events already applied (0: none).
 */
export type WebhookLeaseHeld = DomainEvent<
  'WebhookLeaseHeld',
  { webhookPk: number; holder: string; expiresAt: string; checkpoint: string | null; replayRevision: number }
>;

/** One delivery attempt (stream `webhookAttempts-<pk>`, kept 7 days): what `GET <pk>/deliveries/` lists. */
export type WebhookAttempted = DomainEvent<
  'WebhookAttempted',
  {
    webhookPk: number;
    /** The delivered event's id (the `webhook-id` header); `ping-…` for a test delivery. */
    eventId: string;
    position: string | null;
    attempt: number;
    /** The receiver's status code; `null` when no answer came (timeout, refused, SSRF guard). */
    status: number | null;
    latencyMs: number;
    error: string | null;
    attemptedAt: string;
  }
>;

/** Stream categories of webhooks: the subscriptions, their delivery lease and checkpoint, their attempts. */
export const WEBHOOK_CATEGORY = 'webhook';
export const WEBHOOK_DELIVERY_CATEGORY = 'webhookDelivery';
export const WEBHOOK_ATTEMPTS_CATEGORY = 'webhookAttempts';
export const WEBHOOK_STREAM_PREFIX = `${WEBHOOK_CATEGORY}-`;

export const webhookStream = (webhookPk: number): string => `${WEBHOOK_CATEGORY}-${webhookPk}`;
export const webhookDeliveryStream = (webhookPk: number): string => `${WEBHOOK_DELIVERY_CATEGORY}-${webhookPk}`;
export const webhookAttemptsStream = (webhookPk: number): string => `${WEBHOOK_ATTEMPTS_CATEGORY}-${webhookPk}`;

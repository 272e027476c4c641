import type { DomainEvent } from './decider.ts';
import type { ImageDownloadEvent } from './download/imageDownloadEvents.ts';
import type { GalleryEvent } from './gallery/galleryEvents.ts';
import type { GalleryFileEvent } from './galleryFile/galleryFileEvents.ts';
import type { IdempotencyEvent } from './idempotency/idempotencyEvents.ts';
import type { PkAllocated, ProductEvent, SkuEvent } from './product/productEvents.ts';
import type { RpcSessionEvent } from './rpcSession/rpcSessionEvents.ts';
import type { SettingsEvent } from './settings/settingsEvents.ts';
import type { WebhookAttempted, WebhookEvent, WebhookLeaseHeld } from '../webhooks/domain/webhookEvents.ts';
import type { ReadModelRebuildEvent } from '../rebuild/domain/rebuildEvents.ts';

/**
 * The event catalog: every event type of the service, the stream category it is written to and
 * its current payload schema version (`schemaVersion` in the envelope). It is the published
 * language for downstream services; docs/events.md documents each entry, and a test keeps the
 * two in step.
 */
export type CatalogEvent =
  | ProductEvent
  | SkuEvent
  | PkAllocated
  | GalleryEvent
  | SettingsEvent
  | ImageDownloadEvent
  | RpcSessionEvent
  | IdempotencyEvent
  | GalleryFileEvent
  | WebhookEvent
  | WebhookLeaseHeld
  | WebhookAttempted
  | ReadModelRebuildEvent;

export type CatalogEventType = CatalogEvent['type'];

export const STREAM_CATEGORIES = ['product', 'productSku', 'pkSequence', 'productMedia', 'settings', 'imageDownload', 'rpcSession', 'idempotency', 'galleryFile', 'webhook', 'webhookDelivery', 'webhookAttempts', 'readModelRebuild'] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];

export interface CatalogEntry {
  type: CatalogEventType;
  category: StreamCategory;
  schemaVersion: number;
}

// A record keyed by every type, so adding an event to a union without cataloguing it fails tsc.
const ENTRIES: { readonly [Type in CatalogEventType]: Omit<CatalogEntry, 'type'> } = {
  ProductRegistered: { category: 'product', schemaVersion: 1 },
  ProductRenamed: { category: 'product', schemaVersion: 1 },
  ProductMediaEnabled: { category: 'product', schemaVersion: 1 },
  ProductMediaDisabled: { category: 'product', schemaVersion: 1 },
  SkuClaimed: { category: 'productSku', schemaVersion: 1 },
  SkuReleased: { category: 'productSku', schemaVersion: 1 },
  PkAllocated: { category: 'pkSequence', schemaVersion: 1 },
  ImageUploaded: { category: 'productMedia', schemaVersion: 1 },
  ImageReordered: { category: 'productMedia', schemaVersion: 1 },
  MainImageSet: { category: 'productMedia', schemaVersion: 1 },
  SpecialImageSet: { category: 'productMedia', schemaVersion: 1 },
  ImageRolesChanged: { category: 'productMedia', schemaVersion: 1 },
  ImageLabelChanged: { category: 'productMedia', schemaVersion: 1 },
  ImageExclusionChanged: { category: 'productMedia', schemaVersion: 1 },
  ImageFocalPointSet: { category: 'productMedia', schemaVersion: 1 },
  ImageContentReplaced: { category: 'productMedia', schemaVersion: 1 },
  ImageDeleted: { category: 'productMedia', schemaVersion: 1 },
  ImageRestored: { category: 'productMedia', schemaVersion: 2 },
  VideoUploaded: { category: 'productMedia', schemaVersion: 1 },
  VideoReordered: { category: 'productMedia', schemaVersion: 1 },
  VideoDeleted: { category: 'productMedia', schemaVersion: 1 },
  SettingChanged: { category: 'settings', schemaVersion: 1 },
  ImageDownloadRequested: { category: 'imageDownload', schemaVersion: 1 },
  ImageDownloadCompleted: { category: 'imageDownload', schemaVersion: 1 },
  ImageDownloadFailed: { category: 'imageDownload', schemaVersion: 1 },
  RpcSessionStarted: { category: 'rpcSession', schemaVersion: 1 },
  RpcSessionRefreshed: { category: 'rpcSession', schemaVersion: 1 },
  RpcSessionEnded: { category: 'rpcSession', schemaVersion: 1 },
  IdempotentRequestStarted: { category: 'idempotency', schemaVersion: 1 },
  IdempotentRequestAnswered: { category: 'idempotency', schemaVersion: 1 },
  IdempotentRequestReleased: { category: 'idempotency', schemaVersion: 1 },
  GalleryFileReserved: { category: 'galleryFile', schemaVersion: 1 },
  WebhookCreated: { category: 'webhook', schemaVersion: 1 },
  WebhookChanged: { category: 'webhook', schemaVersion: 1 },
  WebhookSecretRotated: { category: 'webhook', schemaVersion: 1 },
  WebhookDisabled: { category: 'webhook', schemaVersion: 1 },
  WebhookDeleted: { category: 'webhook', schemaVersion: 1 },
  WebhookReplayRequested: { category: 'webhook', schemaVersion: 1 },
  WebhookLeaseHeld: { category: 'webhookDelivery', schemaVersion: 1 },
  WebhookAttempted: { category: 'webhookAttempts', schemaVersion: 1 },
  ReadModelRebuildRequested: { category: 'readModelRebuild', schemaVersion: 1 },
  ReadModelRebuildStarted: { category: 'readModelRebuild', schemaVersion: 1 },
  ReadModelRebuildProgressed: { category: 'readModelRebuild', schemaVersion: 1 },
  ReadModelRebuildSwitched: { category: 'readModelRebuild', schemaVersion: 1 },
  ReadModelRebuildFailed: { category: 'readModelRebuild', schemaVersion: 1 },
};

/** Every event type with its category and schema version, grouped by stream category. */
export const EVENT_CATALOG: readonly CatalogEntry[] = Object.entries(ENTRIES).map(([type, entry]) => ({
  type: type as CatalogEventType,
  ...entry,
}));

export const EVENT_TYPES: readonly CatalogEventType[] = EVENT_CATALOG.map((entry) => entry.type);

/** The catalog entry of `type`, or `undefined` for a type the service never writes. */
export function catalogEntry(type: string): CatalogEntry | undefined {
  return isCatalogEventType(type) ? { type, ...ENTRIES[type] } : undefined;
}

export function isCatalogEventType(type: unknown): type is CatalogEventType {
  return typeof type === 'string' && Object.hasOwn(ENTRIES, type);
}

/**
 * Narrows a record read from the store to a catalogued event. It checks the type name only:
 * payloads are trusted because only our deciders write them (older schema versions are upcast
 * by the reader before this point).
 */
export function isCatalogEvent(event: DomainEvent<string, unknown>): event is CatalogEvent {
  return isCatalogEventType(event.type) && typeof event.data === 'object' && event.data !== null;
}

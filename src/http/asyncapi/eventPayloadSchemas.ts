import type { CatalogEventType } from '../../domain/events.ts';
import { IMAGE_ROLES } from '../../domain/gallery/galleryVocabulary.ts';
import { PK_KINDS } from '../../domain/product/productEvents.ts';
import { REBUILD_PAYLOAD_SCHEMAS } from '../../rebuild/http/rebuildAsyncApi.ts';
import { RPC_SESSION_END_REASONS } from '../../domain/rpcSession/rpcSessionEvents.ts';

/** JSON Schemas of every event payload at its current schema version (docs/events.md in schema form). */
const integer = { type: 'integer' } as const;
const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;
const roles = { type: 'array', items: { enum: [...IMAGE_ROLES] } } as const;
const specialTypes = { type: 'array', items: string } as const;
const takenFrom = { type: 'object', additionalProperties: integer, description: 'role → pk of the image it was taken from' } as const;
const nullablePk = { type: ['integer', 'null'] } as const;
const source = { enum: ['integration', 'unified', null] } as const;
const imageType = { enum: ['default', 'swatch', 'picto'] } as const;
const blob = { key: string, contentType: string, width: integer, height: integer, bytes: integer, sha256: string };
const fraction = { type: 'number', minimum: 0, maximum: 1 } as const;
const focalPoint = { type: ['object', 'null'], required: ['x', 'y'], properties: { x: fraction, y: fraction } } as const;
const dimensions = { type: 'object', properties: { WIDTH: integer, HEIGHT: integer } } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const sessionFacts = { user: string, keyStamp: string, startedAt: dateTime, expiresAt: dateTime };
const headers = { type: 'object', additionalProperties: string } as const;
const nullableString = { type: ['string', 'null'] } as const;
const webhookSettings = {
  webhookPk: integer,
  url: string,
  events: { type: ['array', 'null'], items: string },
  products: { type: ['array', 'null'], items: integer },
  description: string,
};

const object = (properties: Record<string, object>) => ({ type: 'object', required: Object.keys(properties), properties });

// A record keyed by every catalogued type, so a new event without a schema fails tsc.
export const EVENT_PAYLOAD_SCHEMAS: { readonly [Type in CatalogEventType]: ReturnType<typeof object> } = {
  ProductRegistered: object({ productPk: integer, sku: string, name: string, mediaEnabled: boolean }),
  ProductRenamed: object({ productPk: integer, name: string, previousName: string }),
  ProductMediaEnabled: object({ productPk: integer }),
  ProductMediaDisabled: object({ productPk: integer }),
  SkuClaimed: object({ sku: string, productPk: integer }),
  SkuReleased: object({ sku: string, productPk: integer }),
  PkAllocated: object({ kind: { enum: [...PK_KINDS] } }),
  ImageUploaded: object({
    imagePk: integer, productPk: integer, ...blob, file: string, order: integer, source, label: string, exclude: boolean, roles, imageType, takenFrom,
  }),
  ImageReordered: object({ imagePk: integer, order: integer, previousOrder: integer }),
  MainImageSet: object({ imagePk: integer, previousImagePk: nullablePk }),
  SpecialImageSet: object({ imagePk: integer, specialImageType: string, previousImagePk: nullablePk }),
  ImageRolesChanged: object({ imagePk: integer, roles, previousRoles: roles, takenFrom }),
  ImageLabelChanged: object({ imagePk: integer, label: string, previousLabel: string }),
  ImageExclusionChanged: object({ imagePk: integer, exclude: boolean, previousExclude: boolean }),
  ImageFocalPointSet: object({ imagePk: integer, focalPoint, previousFocalPoint: focalPoint }),
  ImageContentReplaced: object({ imagePk: integer, ...blob, previousKey: string }),
  ImageDeleted: object({ imagePk: integer, key: string, clearedRoles: roles, clearedSpecialImageTypes: specialTypes }),
  ImageRestored: object({ imagePk: integer, productPk: integer }),
  VideoUploaded: object({ videoPk: integer, productPk: integer, key: string, contentType: string, bytes: integer, sha256: string, order: integer }),
  VideoReordered: object({ videoPk: integer, order: integer, previousOrder: integer }),
  VideoDeleted: object({ videoPk: integer, key: string }),
  SettingChanged: object({ key: string, value: dimensions, previousValue: dimensions }),
  ImageDownloadRequested: object({ downloadId: string, productPk: integer, url: string, imageType, order: integer, source }),
  ImageDownloadCompleted: object({ downloadId: string, imagePk: integer }),
  ImageDownloadFailed: object({ downloadId: string, reason: string }),
  RpcSessionStarted: object(sessionFacts),
  RpcSessionRefreshed: object(sessionFacts),
  RpcSessionEnded: object({ reason: { enum: [...RPC_SESSION_END_REASONS] } }),
  IdempotentRequestStarted: object({ fingerprint: string }),
  IdempotentRequestAnswered: object({ fingerprint: string, status: integer, headers, body: string }),
  IdempotentRequestReleased: object({ fingerprint: string, status: integer }),
  GalleryFileReserved: object({ file: string, productPk: integer }),
  WebhookCreated: object({ ...webhookSettings, secret: string, createdAt: dateTime }),
  WebhookChanged: object({ ...webhookSettings, active: boolean }),
  WebhookSecretRotated: object({ webhookPk: integer, secret: string }),
  WebhookDisabled: object({ webhookPk: integer, reason: string }),
  WebhookDeleted: object({ webhookPk: integer }),
  WebhookReplayRequested: object({ webhookPk: integer, after: nullableString }),
  WebhookLeaseHeld: object({ webhookPk: integer, holder: string, expiresAt: dateTime, checkpoint: nullableString, replayRevision: integer }),
  WebhookAttempted: object({
    webhookPk: integer, eventId: string, position: nullableString, attempt: integer, status: nullablePk, latencyMs: integer, error: nullableString, attemptedAt: dateTime,
  }),
  ...REBUILD_PAYLOAD_SCHEMAS,
};

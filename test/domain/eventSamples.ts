import type { CatalogEvent, CatalogEventType } from '../../src/domain/events.ts';

/**
 * One payload per event type, checked by the compiler against the event types (excess and
 * missing fields both fail tsc), so the docs test can compare docs/events.md with the code.
 */
const blob = { key: 'k', contentType: 'image/jpeg', width: 1, height: 1, bytes: 1, sha256: 's' };

export const EVENT_SAMPLES: { [Type in CatalogEventType]: Extract<CatalogEvent, { type: Type }>['data'] } = {
  ProductRegistered: { productPk: 1, sku: 's', name: 'n', mediaEnabled: true },
  ProductRenamed: { productPk: 1, name: 'n', previousName: 'p' },
  ProductMediaEnabled: { productPk: 1 },
  ProductMediaDisabled: { productPk: 1 },
  SkuClaimed: { sku: 's', productPk: 1 },
  SkuReleased: { sku: 's', productPk: 1 },
  PkAllocated: { kind: 'image' },
  ImageUploaded: {
    imagePk: 1,
    productPk: 1,
    ...blob,
    file: '/f/i/file.jpg',
    order: 0,
    source: null,
    label: '',
    exclude: false,
    roles: [],
    imageType: 'default',
    takenFrom: {},
  },
  ImageReordered: { imagePk: 1, order: 1, previousOrder: 0 },
  MainImageSet: { imagePk: 1, previousImagePk: null },
  SpecialImageSet: { imagePk: 1, specialImageType: 'swatch', previousImagePk: null },
  ImageRolesChanged: { imagePk: 1, roles: [], previousRoles: [], takenFrom: {} },
  ImageLabelChanged: { imagePk: 1, label: 'l', previousLabel: '' },
  ImageExclusionChanged: { imagePk: 1, exclude: true, previousExclude: false },
  ImageFocalPointSet: { imagePk: 1, focalPoint: { x: 0.25, y: 0.5 }, previousFocalPoint: null },
  ImageContentReplaced: { imagePk: 1, ...blob, previousKey: 'p' },
  ImageDeleted: { imagePk: 1, key: 'k', clearedRoles: [], clearedSpecialImageTypes: [] },
  ImageRestored: { imagePk: 1, productPk: 16201 },
  VideoUploaded: { videoPk: 1, productPk: 1, key: 'k', contentType: 'video/mp4', bytes: 1, sha256: 's', order: 0 },
  VideoReordered: { videoPk: 1, order: 1, previousOrder: 0 },
  VideoDeleted: { videoPk: 1, key: 'k' },
  SettingChanged: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 1, HEIGHT: 1 }, previousValue: { WIDTH: 2, HEIGHT: 2 } },
  ImageDownloadRequested: { downloadId: 'd', productPk: 1, url: 'https://e.x/i.jpg', imageType: 'default', order: 0, source: null },
  ImageDownloadCompleted: { downloadId: 'd', imagePk: 1 },
  ImageDownloadFailed: { downloadId: 'd', reason: 'r' },
  RpcSessionStarted: { user: 'erp', keyStamp: 'k', startedAt: 's', expiresAt: 'e' },
  RpcSessionRefreshed: { user: 'erp', keyStamp: 'k', startedAt: 's', expiresAt: 'e' },
  RpcSessionEnded: { reason: 'logout' },
  IdempotentRequestStarted: { fingerprint: 'f' },
  IdempotentRequestAnswered: { fingerprint: 'f', status: 201, headers: {}, body: '{}' },
  IdempotentRequestReleased: { fingerprint: 'f', status: 503 },
  GalleryFileReserved: { file: '/i/m/image.png', productPk: 1 },
};

import type { UserDirectory } from '../auth/userDirectory.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import type { RenditionRenderer } from '../ports/imageProcessor.ts';
import type { ObjectStore } from '../ports/objectStore.ts';
import type { ReadModelStore } from '../ports/readModelStore.ts';
import { galleryFileKeys } from './galleryFileKeys.ts';
import { hotObjectCache } from './hotObjectCache.ts';
import { mediaHandler, type MediaHandlerDeps } from './mediaHandler.ts';
import { mediaLookup } from './mediaLookup.ts';
import { renditions } from './renditions.ts';

export interface DeliveryDeps {
  config: Pick<Config, 'delivery' | 'maxInputPixels'>;
  objectStore: MediaHandlerDeps['objectStore'];
  readModels: ReadModelStore;
  renderer: RenditionRenderer;
  users: UserDirectory;
  logger: Logger;
  /** Read-your-writes across instances, asked before a key is answered 404 (see mediaHandler.ts). */
  readGuard?: { caughtUp(): Promise<void> };
}

/**
 * The delivery origin (`/media/...`): one hot cache, the renditions service and the request
 * handler, wired from the service's stores. See mediaHandler.ts.
 */
export function createDelivery(deps: DeliveryDeps) {
  const { delivery } = deps.config;
  const cache = hotObjectCache({ maxBytes: delivery.cacheBytes, maxObjectBytes: delivery.cacheMaxObjectBytes });
  const imageRenditions = renditions({
    objectStore: deps.objectStore as ObjectStore,
    renderer: deps.renderer,
    cache,
    quality: delivery.renditionQuality,
    maxInputPixels: deps.config.maxInputPixels,
    onStoreFailure: (key, error) => deps.logger.warn('rendition not stored', { key, error: error instanceof Error ? error.message : String(error) }),
  });
  const handle = mediaHandler({
    lookup: mediaLookup(deps.readModels),
    fileKey: galleryFileKeys(deps.readModels),
    objectStore: deps.objectStore,
    renditions: imageRenditions,
    cache,
    users: deps.users,
    delivery,
    logger: deps.logger,
    ...(deps.readGuard ? { readGuard: deps.readGuard } : {}),
  });
  return {
    handle,
    renditions: imageRenditions,
    cache,
    /** Makes the presets of a new image now when `RENDITION_EAGER=1` (in the background; failures are logged). */
    afterImageStored(image: { key: string; contentType: string }): void {
      if (!delivery.renditionEager || delivery.renditionPresets.size === 0) return;
      imageRenditions.prepare(image, delivery.renditionPresets.values()).catch((error: unknown) => {
        deps.logger.warn('eager renditions failed', { key: image.key, error: error instanceof Error ? error.message : String(error) });
      });
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;

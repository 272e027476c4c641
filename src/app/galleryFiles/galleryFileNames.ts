import { randomUUID } from 'node:crypto';
import { IMAGES_BY_GALLERY_FILE_TABLE } from '../../../projections/galleryFiles.ts';
import { catalogEntry } from '../../domain/events.ts';
import { firstFreeFileName } from '../../domain/gallery/firstFreeFileName.ts';
import type { GalleryFileReserved } from '../../domain/galleryFile/galleryFileEvents.ts';
import { galleryFileStream } from '../../domain/galleryFile/galleryFileStream.ts';
import { ConcurrencyError } from '../../errors/appError.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import type { Clock } from '../clock.ts';
import { eventMetadata, type RequestContext } from '../commandHandler.ts';

/** Names tried that another writer had just taken, at most, before a create gives up (fault 1, logged). */
const MAX_TAKEN_ATTEMPTS = 64;

/**
 * Gallery file names unique across the whole catalog and never reused, as OpenMage's are: a
 * name is reserved for good in the event store (`galleryFile-<file>`, expected revision
 * `no_stream`) before the image that takes it is recorded, so every instance on the store agrees.
 * Names this instance's read model knows as any image's (removed ones included) are skipped
 * without a write; a name another instance reserved first fails the append and the next suffix
 * is tried.
 */
export function galleryFileNames(deps: { eventStore: EventStore; readModels: ReadModelStore; clock: Clock }) {
  const knownToReadModel = (file: string) => deps.readModels.get<number>(IMAGES_BY_GALLERY_FILE_TABLE, file) !== undefined;

  /** Appends the reservation; false when the name's stream exists already (another writer's). */
  async function tryReserve(file: string, productPk: number, context: RequestContext): Promise<boolean> {
    const event: GalleryFileReserved = { type: 'GalleryFileReserved', data: { file, productPk } };
    const metadata = eventMetadata(context, deps.clock(), catalogEntry(event.type)?.schemaVersion ?? 1);
    try {
      await deps.eventStore.appendToStream(galleryFileStream(file), [{ id: randomUUID(), type: event.type, data: event.data, metadata }], {
        expectedRevision: 'no_stream',
      });
      return true;
    } catch (error) {
      if (error instanceof ConcurrencyError) return false;
      throw error;
    }
  }

  return {
    /**
     * Reserves `file` (`/i/m/image.png`) or the first free of `/i/m/image_1.png`, `/i/m/image_2.png`, …
     * for an image of `productPk`; answers the name reserved.
     * @throws Error after {@link MAX_TAKEN_ATTEMPTS} names taken by other writers meanwhile.
     */
    async reserve(file: string, productPk: number, context: RequestContext): Promise<string> {
      const takenMeanwhile = new Set<string>();
      for (let attempt = 0; attempt < MAX_TAKEN_ATTEMPTS; attempt++) {
        const candidate = firstFreeFileName(file, (name) => takenMeanwhile.has(name) || knownToReadModel(name));
        if (await tryReserve(candidate, productPk, context)) return candidate;
        takenMeanwhile.add(candidate);
      }
      throw new Error(`No free gallery file name like ${file} after ${MAX_TAKEN_ATTEMPTS} names taken meanwhile.`);
    },
  };
}

export type GalleryFileNames = ReturnType<typeof galleryFileNames>;

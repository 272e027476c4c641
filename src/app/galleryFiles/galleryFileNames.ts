import { randomUUID } from 'node:crypto';
import { IMAGES_BY_GALLERY_FILE_TABLE } from '../../../projections/galleryFiles.ts';
import { catalogEntry } from '../../domain/events.ts';
import { suffixedFileName } from '../../domain/gallery/firstFreeFileName.ts';
import type { GalleryFileReserved } from '../../domain/galleryFile/galleryFileEvents.ts';
import { galleryFileStream } from '../../domain/galleryFile/galleryFileStream.ts';
import { ConcurrencyError } from '../../errors/appError.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import type { Clock } from '../clock.ts';
import { eventMetadata, type RequestContext } from '../commandHandler.ts';

/** Names another writer took first, at most, before one reservation gives up (fault 1, logged). */
const MAX_LOST_RACES = 64;
/** Base names whose next free suffix this instance remembers (all forgotten at once beyond). */
const REMEMBERED_NAMES = 10_000;

/**
 * Gallery file names unique across the whole catalog and never reused, as OpenMage's are: a
 * name is reserved for good in the event store (`galleryFile-<file>`, expected revision
 * `no_stream`) before the image that takes it is recorded, so every instance on the store agrees.
 *
 * Cost stays flat when one name is asked again and again (every product's `image`): names this
 * instance's read model knows as taken are skipped without a write; the suffix past the last one
 * taken is remembered per base name (a hint only: names are never freed, so every name below it
 * stays taken); and this instance reserves one base name at a time, so its own concurrent
 * creates never race each other. A name another instance reserved first fails the append and
 * the next suffix is tried.
 */
export function galleryFileNames(deps: { eventStore: EventStore; readModels: ReadModelStore; clock: Clock }) {
  const knownToReadModel = (file: string) => deps.readModels.get<number>(IMAGES_BY_GALLERY_FILE_TABLE, file) !== undefined;
  /** Base name → the lowest suffix index not known to be taken. */
  const nextIndex = new Map<string, number>();
  /** Base name → the end of the reservations of it running on this instance. */
  const running = new Map<string, Promise<unknown>>();

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

  async function reserveNow(file: string, productPk: number, context: RequestContext): Promise<string> {
    let index = nextIndex.get(file) ?? 0;
    for (let lostRaces = 0; lostRaces < MAX_LOST_RACES; index++) {
      const candidate = suffixedFileName(file, index);
      if (knownToReadModel(candidate)) continue;
      if (await tryReserve(candidate, productPk, context)) {
        if (nextIndex.size >= REMEMBERED_NAMES) nextIndex.clear();
        nextIndex.set(file, index + 1);
        return candidate;
      }
      lostRaces++;
    }
    nextIndex.set(file, index);
    throw new Error(`No free gallery file name like ${file}: other writers took ${MAX_LOST_RACES} in a row.`);
  }

  return {
    /**
     * Reserves `file` (`/i/m/image.png`) or the first free of `/i/m/image_1.png`, `/i/m/image_2.png`, …
     * for an image of `productPk`; answers the name reserved.
     * @throws Error when other writers took {@link MAX_LOST_RACES} names in a row meanwhile.
     */
    reserve(file: string, productPk: number, context: RequestContext): Promise<string> {
      const before = running.get(file) ?? Promise.resolve();
      const reserved = before.then(() => reserveNow(file, productPk, context));
      const settled = reserved.catch(() => undefined);
      running.set(file, settled);
      void settled.then(() => {
        if (running.get(file) === settled) running.delete(file);
      });
      return reserved;
    },
  };
}

export type GalleryFileNames = ReturnType<typeof galleryFileNames>;

import { Writable, type Readable } from 'node:stream';
import type { RequestedOrder } from '../../domain/gallery/orderAfterLast.ts';
import { pipeline } from 'node:stream/promises';
import { createMp4Validator } from '../../media/mp4Validation.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { ObjectStore } from '../../ports/objectStore.ts';
import type { Clock } from '../clock.ts';
import type { HandleCommand, RequestContext } from '../commandHandler.ts';
import type { AllocatePk } from '../pkAllocator.ts';
import { loadProductFacts } from '../products/productFacts.ts';
import { galleryDecision, type GalleryWrite } from './galleryDecision.ts';
import { videoKey } from './mediaKeys.ts';

export interface VideoCommandsDeps {
  eventStore: EventStore;
  objectStore: ObjectStore;
  handle: HandleCommand;
  allocatePk: AllocatePk;
  clock: Clock;
}

/** A spooled upload: its file on disk and its length. */
export interface VideoFile {
  size: number;
  /** A new stream of the file's bytes at each call (the file is read twice: checked, then stored). */
  stream(): Readable;
}

/**
 * Video commands. An upload is checked as an MP4 by streaming its spool file through the
 * validator, then streamed to the object store (never whole in memory); a file that breaks an
 * MP4 rule is refused before anything is stored. Blob first, event second, as for images.
 */
export function videoCommands(deps: VideoCommandsDeps) {
  const decide = galleryDecision(deps.handle);

  return {
    async upload(input: { productPk: number; file: VideoFile; order: RequestedOrder }, context: RequestContext): Promise<GalleryWrite & { videoPk: number }> {
      const product = await loadProductFacts(deps.eventStore, input.productPk);
      const key = videoKey(deps.clock());
      // Check the whole file before storing it: a second read of the spool (page-cached) is
      // cheaper than a stream error racing the store's own listeners.
      await validateMp4File(input.file);
      const stored = await deps.objectStore.put({
        key,
        body: input.file.stream(),
        size: input.file.size,
        contentType: 'video/mp4',
      });
      const videoPk = await deps.allocatePk('video', context);
      const blob = { key, contentType: stored.contentType, bytes: stored.size, sha256: stored.sha256 };
      const write = await decide(input.productPk, { type: 'UploadVideo', data: { product, videoPk, blob, order: input.order } }, context);
      return { ...write, videoPk };
    },

    reorder: (productPk: number, videoPk: number, order: number, context: RequestContext, expectedRevision?: number) =>
      decide(productPk, { type: 'ReorderVideo', data: { videoPk, order } }, context, expectedRevision),

    delete: (productPk: number, videoPk: number, context: RequestContext, expectedRevision?: number) =>
      decide(productPk, { type: 'DeleteVideo', data: { videoPk } }, context, expectedRevision),
  };
}

export type VideoCommands = ReturnType<typeof videoCommands>;

/** Reads the spooled file through the MP4 validator. @throws AppError `INVALID_VIDEO`. */
async function validateMp4File(file: VideoFile): Promise<void> {
  const validator = createMp4Validator({ totalSize: file.size });
  await pipeline(
    file.stream(),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        try {
          validator.push(chunk);
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
      final(callback) {
        try {
          validator.end();
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
    }),
  );
}

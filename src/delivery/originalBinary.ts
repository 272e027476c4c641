import type { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { NotFoundError } from '../errors/appError.ts';
import type { ByteRange, ObjectStore } from '../ports/objectStore.ts';
import type { HotObjectCache } from './hotObjectCache.ts';
import type { StoredBinary } from './renditions.ts';

/**
 * Stored binaries as the media URLs read them: from the hot cache when there, else from the
 * object store; a binary small enough for the cache is read whole and kept, a larger one is
 * handed over as the store's stream (never buffered).
 */
export function originalBinary(objectStore: ObjectStore, cache: HotObjectCache) {
  const notFound = (error: unknown) => {
    if (error instanceof Error && 'status' in error && error.status === 404) throw new NotFoundError();
    throw error;
  };
  return {
    /** `withBody`: a whole GET will follow (else only the facts are read: HEAD, ranges). */
    async load(key: string, withBody: boolean): Promise<StoredBinary> {
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      if (!withBody) {
        const info = await objectStore.stat(key);
        if (info === null) throw new NotFoundError();
        return { info };
      }
      const { info, body } = await objectStore.get(key).catch(notFound);
      if (!cache.admits(info.size)) return { info, stream: body };
      const bytes = await readAll(body);
      cache.set(key, { info, body: bytes });
      return { info, body: bytes };
    },
    /** The content (or a range of it) as a stream. */
    open: async (key: string, range?: ByteRange): Promise<Readable> => (await objectStore.get(key, range).catch(notFound)).body,
  };
}

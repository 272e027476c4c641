import { constants } from 'node:fs';
import { open, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { operationTracker } from '../operationTracker.ts';
import {
  assertObjectKey,
  checkPutInput,
  objectNotFound,
  resolveByteRange,
  type ByteRange,
  type GetObjectResult,
  type ObjectInfo,
  type ObjectStore,
  type PutObjectInput,
} from '../../ports/objectStore.ts';
import { errnoCode, ioFailure, isMissing, unsafeObjectPath } from './fsErrors.ts';
import {
  assertRealDirectory,
  createFsObjectLayout,
  ensureParentDirectory,
  objectFilePath,
  syncDirectory,
  type FsObjectLayout,
} from './fsObjectLayout.ts';
import { listObjects } from './listObjects.ts';
import { openContentStream, readObjectInfo, readSmallObject } from './objectFile.ts';
import { stageObject } from './stageObject.ts';

/**
 * A whole object up to this file size (content and metadata) is read in one read and handed out
 * from memory: fewer trips through the thread pool the image jobs share. A larger one streams.
 */
const WHOLE_READ_MAX_FILE_SIZE = 2 * 1024 * 1024;

/** Options of {@link openFsObjectStore}. */
export interface FsObjectStoreOptions {
  /** Directory the store owns (created if missing), normally `DATA_DIR/media`. One store per root. */
  root: string;
  /** Source of `lastModified`; defaults to the system clock. */
  clock?: () => Date;
}

/**
 * Opens the embedded object store: one file per object under `<root>/objects`, content followed
 * by its metadata (see `objectFile.ts`), written to `<root>/tmp`, fsynced, renamed into place and
 * the directory fsynced, so a put is atomic and durable once it resolves (a `cache` put skips the
 * fsyncs: atomic, not durable). Temp files left by a
 * crash are removed here, so only one store may use a root at a time.
 *
 * @example
 * const store = await openFsObjectStore({ root: join(dataDir, 'media') });
 * await store.put({ key: 'products/16201/a.jpg', body: bytes, contentType: 'image/jpeg' });
 * @throws UnavailableError when the root cannot be created or read.
 */
export async function openFsObjectStore(options: FsObjectStoreOptions): Promise<ObjectStore> {
  const clock = options.clock ?? (() => new Date());
  let layout: FsObjectLayout;
  try {
    layout = await createFsObjectLayout(options.root);
    await removeStaleTempFiles(layout.tmp);
  } catch (error) {
    throw ioFailure(`open ${options.root}`, error);
  }

  const operations = operationTracker('Object store');
  const { track } = operations;

  /** Opens the object file without following symlinks; `null` when the key does not exist. */
  async function openObject(key: string): Promise<FileHandle | null> {
    const path = objectFilePath(layout, key);
    // Both at once (one wait instead of two); nothing is read from the handle unless the
    // directory proved real, and the handle is closed when it did not. O_NONBLOCK: opening a
    // planted FIFO returns at once (and fails the regular-file check) instead of holding a
    // thread-pool thread until a writer comes; regular files ignore it.
    const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
    const [directory, opened] = await Promise.allSettled([assertRealDirectory(dirname(path), key), open(path, flags)]);
    try {
      if (directory.status === 'rejected') throw directory.reason;
      if (opened.status === 'rejected') throw opened.reason;
      return opened.value;
    } catch (error) {
      if (opened.status === 'fulfilled') await opened.value.close().catch(() => undefined);
      if (isMissing(error)) return null;
      if (errnoCode(error) === 'ELOOP') throw unsafeObjectPath(key);
      throw ioFailure(`read ${key}`, error);
    }
  }

  async function put(input: PutObjectInput): Promise<ObjectInfo> {
    const expected = checkPutInput(input);
    const target = objectFilePath(layout, input.key);
    const staged = await stageObject(layout.tmp, input, expected, clock);
    try {
      const created = await ensureParentDirectory(layout, target, input.key);
      await rename(staged.tempPath, target);
      // New directory entries are durable once their parents are synced; the last is the target's.
      const toSync = created.length === 0 ? [] : [dirname(created[0] as string), ...created.slice(0, -1)];
      if (input.durability !== 'cache') for (const dir of [...toSync, dirname(target)]) await syncDirectory(dir);
      return staged.info;
    } catch (error) {
      await rm(staged.tempPath, { force: true }).catch(() => undefined);
      throw ioFailure(`store ${input.key}`, error);
    }
  }

  async function get(key: string, range?: ByteRange): Promise<GetObjectResult> {
    assertObjectKey(key);
    const handle = await openObject(key);
    if (handle === null) throw objectNotFound(key);
    try {
      if (range === undefined) {
        const small = await readSmallObject(handle, key, WHOLE_READ_MAX_FILE_SIZE);
        if (small !== undefined) {
          // Nothing waits for the close: the bytes are read; a failed close of a read-only handle loses nothing.
          handle.close().catch(() => undefined);
          return { info: small.info, body: Readable.from([small.content], { objectMode: false }) };
        }
      }
      const info = await readObjectInfo(handle, key);
      const served = resolveByteRange(range, info.size);
      const body = await openContentStream(handle, info.size, served);
      return served === undefined ? { info, body } : { info, body, range: served };
    } catch (error) {
      await handle.close();
      throw ioFailure(`read ${key}`, error);
    }
  }

  async function stat(key: string): Promise<ObjectInfo | null> {
    assertObjectKey(key);
    const handle = await openObject(key);
    if (handle === null) return null;
    try {
      return await readObjectInfo(handle, key);
    } catch (error) {
      throw ioFailure(`read ${key}`, error);
    } finally {
      await handle.close();
    }
  }

  async function remove(key: string): Promise<void> {
    assertObjectKey(key);
    const path = objectFilePath(layout, key);
    try {
      await assertRealDirectory(dirname(path), key);
      await unlink(path); // removes a planted symlink itself, never its target
      await syncDirectory(dirname(path));
    } catch (error) {
      if (isMissing(error)) return;
      throw ioFailure(`delete ${key}`, error);
    }
  }

  async function* list(prefix: string): AsyncGenerator<ObjectInfo> {
    operations.assertOpen();
    const readListed = async (path: string, key: string): Promise<ObjectInfo | null> => {
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: unknown) => {
        if (isMissing(error)) return null; // deleted since the directory was read
        throw error;
      });
      if (handle === null) return null;
      try {
        return await readObjectInfo(handle, key);
      } finally {
        await handle.close();
      }
    };
    try {
      yield* listObjects(layout, prefix, readListed);
    } catch (error) {
      throw ioFailure(`list ${prefix}`, error);
    }
  }

  return {
    put: (input) => track(() => put(input)),
    get: (key, range) => track(() => get(key, range)),
    stat: (key) => track(() => stat(key)),
    delete: (key) => track(() => remove(key)),
    list,
    async close() {
      await operations.close();
    },
  };
}

async function removeStaleTempFiles(tmp: string): Promise<void> {
  for (const name of await readdir(tmp)) await rm(join(tmp, name), { recursive: true, force: true });
}

import { statfsSync } from 'node:fs';
import { StoreWriteError } from '../../errors/appError.ts';

/** Free bytes a read-model write must leave on its file system (other writers, LMDB's page copies). */
export const DEFAULT_FREE_MARGIN_BYTES = 16 * 1024 * 1024;

/** What a row may take on disk once written (page overhead, copy-on-write pages), for large writes. */
const BYTES_PER_ROW = 1024;

export interface DiskSpaceGuard {
  /**
   * Refuses a write of `rows` rows before LMDB sees it when the file system is (nearly) full.
   * @throws StoreWriteError with reason `ENOSPC`.
   */
  check(rows: number): void;
}

/**
 * Keeps LMDB from meeting a full disk. lmdb-js 3.5's native code answers a failed page write by
 * printing raw text to standard error and formatting the error into a 100-byte buffer it can
 * overrun: after a few failed commits on a full file system the process aborted here
 * (`munmap_chunk(): invalid pointer`). So a write is refused while the file system holds less than
 * the margin plus what the write may need, and the refusal is an ordinary error the projection
 * runner retries.
 *
 * The check is `statfs` (a few microseconds against milliseconds for a synchronous commit). It is
 * not a reservation: a file system that another process fills within the margin between the check
 * and the commit, a user quota (statfs does not see it) or an I/O error still reach LMDB.
 * @example
 * const guard = diskSpaceGuard({ path: '/data/readmodels' });
 * guard.check(batch.size); // throws StoreWriteError('... ENOSPC') when the disk is full
 */
export function diskSpaceGuard(options: { path: string; marginBytes?: number }): DiskSpaceGuard {
  const margin = options.marginBytes ?? DEFAULT_FREE_MARGIN_BYTES;
  return {
    check(rows) {
      const { bavail, bsize, blocks } = statfsSync(options.path);
      // A file system that reports no size (some network and FUSE mounts) cannot be judged: let LMDB try.
      if (blocks === 0) return;
      const free = bavail * bsize;
      const needed = margin + rows * BYTES_PER_ROW;
      if (free >= needed) return;
      throw new StoreWriteError(`Read models not written: ${free} bytes free on their file system, ${needed} needed.`, 'ENOSPC');
    },
  };
}

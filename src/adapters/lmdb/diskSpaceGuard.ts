import { statfsSync } from 'node:fs';
import { StoreWriteError } from '../../errors/appError.ts';

/** Free bytes a write must leave on its file system by default (other writers, LMDB's page copies). */
export const DEFAULT_FREE_MARGIN_BYTES = 4 * 1024 * 1024;

export interface DiskSpaceGuard {
  /**
   * Refuses a write of about `bytes` before LMDB sees it when the file system is (nearly) full.
   * @throws StoreWriteError with reason `ENOSPC`.
   */
  check(bytes: number): void;
}

/**
 * Keeps LMDB from meeting a full disk. lmdb-js 3.5's native code answers a failed page write by
 * printing raw text to standard error and formatting the error into a 100-byte buffer it can
 * overrun: after a few failed commits on a full file system the process aborted here
 * (`munmap_chunk(): invalid pointer`); a failed asynchronous commit also rejects promises of its
 * own that nobody can handle. So a write is refused while the file system holds less than the
 * margin plus the write, and the refusal is an ordinary error.
 *
 * The check is `statfs` (a few microseconds, against milliseconds for a durable commit). It is
 * not a reservation: another process filling the margin between the check and the commit, a user
 * quota (statfs does not see it) or an I/O error still reach LMDB.
 * @example
 * const space = diskSpaceGuard({ path: '/data/events', what: 'Events' });
 * space.check(bytes); // throws StoreWriteError('Events not written: ...', 'ENOSPC') on a full disk
 */
export function diskSpaceGuard(options: { path: string; what: string; marginBytes?: number }): DiskSpaceGuard {
  const margin = options.marginBytes ?? DEFAULT_FREE_MARGIN_BYTES;
  return {
    check(bytes) {
      const { bavail, bsize, blocks } = statfsSync(options.path);
      // A file system that reports no size (some network and FUSE mounts) cannot be judged: let LMDB try.
      if (blocks === 0) return;
      const free = bavail * bsize;
      const needed = margin + bytes;
      if (free >= needed) return;
      throw new StoreWriteError(`${options.what} not written: ${free} bytes free on their file system, ${needed} needed.`, 'ENOSPC');
    },
  };
}

import type { DiskSpaceGuard } from '../../src/adapters/lmdb/diskSpaceGuard.ts';
import { StoreWriteError } from '../../src/errors/appError.ts';

/** A disk that is full while `full` says so: writes are refused as the real guard refuses them. */
export function switchableDisk(): DiskSpaceGuard & { full: boolean } {
  const disk = {
    full: false,
    check() {
      if (disk.full) throw new StoreWriteError('Not written: 0 bytes free on their file system.', 'ENOSPC');
    },
  };
  return disk;
}

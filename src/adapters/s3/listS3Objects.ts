import type { BucketItem } from 'minio';
import { AppError } from '../../errors/appError.ts';
import { assertObjectPrefix, isValidObjectKey, type ObjectInfo } from '../../ports/objectStore.ts';
import { statInfo, type S3Context } from './s3Context.ts';
import { s3Failure } from './s3Errors.ts';

/** HEAD requests kept in flight ahead of the reader. */
const LOOKAHEAD = 8;

/**
 * Every object under `prefix` in key order, each as `stat` returns it. ListObjectsV2 gives keys in
 * byte order, page by page; a listing has no user metadata in plain S3, so each object gets a
 * HEAD, a few ahead of the reader. Keys that are not valid object keys (staged uploads, objects
 * other tools put in the bucket) are skipped, as are objects deleted since they were listed.
 */
export async function* listS3Objects(context: S3Context, prefix: string): AsyncGenerator<ObjectInfo> {
  assertObjectPrefix(prefix);
  const pending: Array<Promise<ObjectInfo | null>> = [];
  const keys = listedKeys(context, prefix);
  try {
    let more = true;
    for (;;) {
      while (more && pending.length < LOOKAHEAD) {
        const next = await keys.next();
        if (next.done === true) {
          more = false;
        } else {
          const info = statInfo(context, next.value);
          info.catch(() => undefined); // its failure is reported when its turn comes
          pending.push(info);
        }
      }
      const head = pending.shift();
      if (head === undefined) return;
      const info = await head;
      if (info !== null) yield info;
    }
  } finally {
    await keys.return(undefined);
  }
}

async function* listedKeys(context: S3Context, prefix: string): AsyncGenerator<string, void, undefined> {
  const listing = context.client.listObjectsV2(context.bucket, prefix, true);
  let previous: string | undefined;
  try {
    for await (const item of listing as unknown as AsyncIterable<BucketItem>) {
      // Skips common prefixes (none come in a recursive listing) and keys that are not ours.
      if (item.name === undefined || !isValidObjectKey(item.name)) continue;
      // Yielding out of order would break the port's promise; a conforming server never does.
      // (Valid keys are ASCII, so string order is S3's byte order.)
      if (previous !== undefined && !(item.name > previous)) {
        throw new AppError('OBJECT_STORE_FAILED', `Object store listed ${item.name} after ${previous}.`, {
          status: 500,
        });
      }
      previous = item.name;
      yield item.name;
    }
  } catch (error) {
    throw s3Failure(`list ${prefix}`, error);
  } finally {
    (listing as unknown as { destroy(): void }).destroy();
  }
}

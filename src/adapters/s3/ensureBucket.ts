import type { S3Context } from './s3Context.ts';
import { s3ErrorCode } from './s3Errors.ts';

/**
 * Creates the bucket unless it exists. Several instances may start at once: losing the race to
 * create it is fine. Driver errors are left for the caller to translate.
 */
export async function ensureBucket(context: S3Context, region: string): Promise<void> {
  const { client, bucket } = context;
  if (await client.bucketExists(bucket)) return;
  try {
    await client.makeBucket(bucket, region);
  } catch (error) {
    const code = s3ErrorCode(error);
    if (code === 'BucketAlreadyOwnedByYou') return;
    // AWS says "exists" when someone else owns the name; some servers (s3rver) say it for every
    // existing bucket. Either way the bucket is usable exactly when we can reach it.
    if (code === 'BucketAlreadyExists' && (await client.bucketExists(bucket).catch(() => false))) return;
    throw error;
  }
}

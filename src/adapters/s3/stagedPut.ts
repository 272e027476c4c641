import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CopyDestinationOptions, CopySourceOptions, type BucketItem } from 'minio';
import type { ObjectInfo } from '../../ports/objectStore.ts';
import type { S3Context } from './s3Context.ts';
import { s3Failure } from './s3Errors.ts';
import { userMetadata } from './s3ObjectInfo.ts';
import { verifiedStream, type BodyExpectations } from './verifiedBody.ts';

/**
 * Where bodies wait while they are checked. No valid object key starts with ".", so staged
 * objects never collide with real ones and `list` skips them.
 */
export const STAGING_PREFIX = '.staging/';
const MAX_PARTS = 10_000;

/**
 * Stores a stream without holding it in memory, and so that a body that turns out wrong is never
 * visible under its key, not even for a moment, and never replaces the previous object:
 * 1. the body is uploaded to a fresh staging key, hashed and counted on the way;
 * 2. a size or sha256 mismatch fails the upload before its last bytes are sent (see
 *    `verifiedStream`), so a conforming server stores nothing; the staged key is removed anyway
 *    (s3rver, for one, keeps what an aborted PUT sent). The key itself was never touched;
 * 3. a server-side copy puts the checked bytes under the key, with content type and metadata.
 *    S3 writes an object atomically, so readers see the old object or the whole new one;
 * 4. the staged object is removed; any left by a crash are swept by {@link sweepStaging}.
 * The price is a server-side copy (no client traffic) per streamed put.
 *
 * Bodies up to `multipartThreshold` go in one streaming PUT and one CopyObject (S3 allows up to
 * 5 GiB each); larger ones as a multipart upload (one part in memory at a time) and a multipart
 * copy.
 */
export async function putStaged(
  context: S3Context,
  input: { key: string; body: Readable; contentType: string },
  expected: BodyExpectations & { size: number },
): Promise<ObjectInfo> {
  const stagingKey = `${STAGING_PREFIX}${randomUUID()}`;
  const multipart = expected.size > context.multipartThreshold;
  const { body, outcome } = verifiedStream(input.body, expected);
  try {
    try {
      await upload(context, stagingKey, body, expected.size, multipart);
    } catch (error) {
      throw outcome.error ?? s3Failure(`store ${input.key}`, error); // the body's own error is the caller's
    }
    if (outcome.facts === undefined) {
      throw s3Failure(`store ${input.key}`, new Error('the server answered before the body ended'));
    }
    const info: ObjectInfo = {
      key: input.key,
      size: outcome.facts.size,
      contentType: input.contentType,
      sha256: outcome.facts.sha256,
      lastModified: context.clock().toISOString(),
    };
    try {
      await (multipart ? multipartCopy(context, stagingKey, info) : copy(context, stagingKey, info));
    } catch (error) {
      throw s3Failure(`store ${input.key}`, error);
    }
    return info;
  } finally {
    await discard(context, stagingKey, multipart);
  }
}

async function upload(context: S3Context, stagingKey: string, body: Readable, size: number, multipart: boolean) {
  if (multipart) {
    const metadata = { 'Content-Type': 'application/octet-stream' };
    await context.client.putObject(context.bucket, stagingKey, body, size, metadata);
  } else {
    const url = await context.presign('PUT', stagingKey);
    const headers = { 'content-length': size, 'content-type': 'application/octet-stream' };
    await context.http.putStream(url, headers, body);
  }
}

function copy(context: S3Context, stagingKey: string, info: ObjectInfo): Promise<unknown> {
  const { client, bucket } = context;
  return client.copyObject(
    new CopySourceOptions({ Bucket: bucket, Object: stagingKey }),
    new CopyDestinationOptions({
      Bucket: bucket,
      Object: info.key,
      MetadataDirective: 'REPLACE',
      UserMetadata: userMetadata(info),
      Headers: { 'Content-Type': info.contentType },
    }),
  );
}

/** UploadPartCopy in order; the object appears only when the upload completes. */
async function multipartCopy(context: S3Context, stagingKey: string, info: ObjectInfo): Promise<void> {
  const { client, bucket } = context;
  const headers: Record<string, string> = { 'Content-Type': info.contentType };
  for (const [name, value] of Object.entries(userMetadata(info))) headers[`x-amz-meta-${name}`] = value;
  const uploadId = await client.initiateNewMultipartUpload(bucket, info.key, headers);
  try {
    const partSize = Math.max(context.partSize, Math.ceil(info.size / MAX_PARTS));
    const parts: Array<{ part: number; etag: string }> = [];
    for (let start = 0, part = 1; start < info.size; start += partSize, part++) {
      const end = Math.min(start + partSize, info.size) - 1;
      const { etag } = await client.uploadPart({
        bucketName: bucket,
        objectName: info.key,
        uploadID: uploadId,
        partNumber: part,
        headers: { 'x-amz-copy-source': `${bucket}/${stagingKey}`, 'x-amz-copy-source-range': `bytes=${start}-${end}` },
      });
      parts.push({ part, etag });
    }
    await client.completeMultipartUpload(bucket, info.key, uploadId, parts);
  } catch (error) {
    await client.abortMultipartUpload(bucket, info.key, uploadId).catch(() => undefined);
    throw error;
  }
}

/** Best effort: a staged object that survives is swept later. */
async function discard(context: S3Context, stagingKey: string, multipart: boolean): Promise<void> {
  const { client, bucket } = context;
  await client.removeObject(bucket, stagingKey).catch(() => undefined);
  if (multipart) await client.removeIncompleteUpload(bucket, stagingKey).catch(() => undefined);
}

/**
 * Removes staged objects older than `maxAgeMs`: those of puts that crashed. Younger ones may
 * belong to puts under way on other instances sharing the bucket, so they stay.
 */
export async function sweepStaging(context: S3Context, maxAgeMs: number): Promise<number> {
  const { client, bucket } = context;
  const cutoff = context.clock().getTime() - maxAgeMs;
  let removed = 0;
  try {
    const listing = client.listObjectsV2(bucket, STAGING_PREFIX, true) as unknown as AsyncIterable<BucketItem>;
    for await (const item of listing) {
      if (item.name === undefined || item.lastModified.getTime() >= cutoff) continue;
      await client.removeObject(bucket, item.name);
      removed += 1;
    }
  } catch (error) {
    throw s3Failure('sweep staged uploads', error);
  }
  return removed;
}

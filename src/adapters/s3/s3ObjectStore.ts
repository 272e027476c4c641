import { AppError, ValidationError } from '../../errors/appError.ts';
import { operationTracker } from '../operationTracker.ts';
import {
  assertObjectKey,
  checkPutInput,
  type ObjectInfo,
  type ObjectStore,
  type PutObjectInput,
} from '../../ports/objectStore.ts';
import { listS3Objects } from './listS3Objects.ts';
import { createS3Client, createS3Context, statInfo, type S3Connection, type S3Context } from './s3Context.ts';
import { ensureBucket } from './ensureBucket.ts';
import { isMissingObject, s3Failure } from './s3Errors.ts';
import { getObject } from './s3Get.ts';
import { userMetadata } from './s3ObjectInfo.ts';
import { putStaged, sweepStaging } from './stagedPut.ts';
import { BodyVerifier } from './verifiedBody.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** S3's limits: parts of 5 MiB–5 GiB; one PUT or CopyObject of at most 5 GiB. */
const MIN_PART_SIZE = 5 * MiB;
const MAX_SINGLE_REQUEST = 5 * GiB;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Options of {@link openS3ObjectStore}. The first five are the `MINIO_*` settings. */
export interface S3ObjectStoreOptions {
  /** `http://host:port` or `https://host[:port]`, without a path; any S3 server (MinIO, AWS, Ceph...). */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** The bucket the store uses, created when missing. Other tools' objects in it are ignored. */
  bucket: string;
  /** Region to sign requests for (default `us-east-1`, MinIO's default). */
  region?: string;
  /** `host/bucket/key` URLs (default, what MinIO needs) rather than `bucket.host/key`. */
  pathStyle?: boolean;
  /** Endpoint used in presigned URLs when clients reach the server elsewhere (a proxy, a compose network). */
  publicEndpoint?: string;
  /** Longest wait, in ms, for the server to accept a connection or answer a sent request (default 30 000). */
  timeoutMs?: number;
  /** Part size of multipart transfers, 5 MiB–5 GiB (default 16 MiB): memory held per multipart upload. */
  partSize?: number;
  /** Streams larger than this (default and most 5 GiB) are uploaded and copied in parts. */
  multipartThreshold?: number;
  /** Staged uploads older than this (default 24 h) are removed at open: crashed puts left them. */
  stagingMaxAgeMs?: number;
  /** Source of `lastModified`; defaults to the system clock. */
  clock?: () => Date;
}

/** An {@link ObjectStore} on S3, which can also hand out signed download URLs. */
export interface S3ObjectStore extends ObjectStore {
  /**
   * A URL through which anyone may GET the object for `expirySeconds` (1 s to 7 days), to serve
   * binaries by redirect. Signing sends no request: the object need not exist.
   * @throws ValidationError `INVALID_OBJECT_KEY` or `INVALID_EXPIRY`.
   */
  presignedGetUrl(key: string, expirySeconds: number): Promise<string>;
}

/**
 * Opens the production object store on any S3 server through the `minio` client. The bucket is
 * created when missing (safe when several instances start at once), and staged uploads left by
 * crashed puts are swept. Buffers are sent in one PUT straight to their key; streams are staged
 * and copied (see `stagedPut.ts`), so memory stays bounded and a body that fails its size or
 * sha256 check is never visible. sha256 and the put time travel as user metadata.
 *
 * @example
 * const store = await openS3ObjectStore({ ...config.minio });
 * await store.put({ key: 'products/16201/a.jpg', body: bytes, contentType: 'image/jpeg' });
 * @throws UnavailableError when the server cannot be reached; AppError
 * `OBJECT_STORE_ACCESS_DENIED` when it refuses the credentials; `INVALID_OBJECT_STORE_CONFIG`.
 */
export async function openS3ObjectStore(options: S3ObjectStoreOptions): Promise<S3ObjectStore> {
  const connection: S3Connection = {
    endpoint: options.endpoint,
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    region: options.region ?? 'us-east-1',
    pathStyle: options.pathStyle ?? true,
    timeoutMs: checkedSetting('timeoutMs', options.timeoutMs ?? 30_000, 1, 3_600_000),
    partSize: checkedSetting('partSize', options.partSize ?? 16 * MiB, MIN_PART_SIZE, MAX_SINGLE_REQUEST),
  };
  const multipartThreshold = checkedSetting(
    'multipartThreshold',
    options.multipartThreshold ?? MAX_SINGLE_REQUEST,
    MIN_PART_SIZE,
    MAX_SINGLE_REQUEST,
  );
  const clock = options.clock ?? (() => new Date());
  const context = createS3Context(connection, { bucket: options.bucket, clock, multipartThreshold });
  const signer =
    options.publicEndpoint === undefined ? context.client : createS3Client(connection, options.publicEndpoint);
  try {
    await ensureBucket(context, connection.region);
    await sweepStaging(context, options.stagingMaxAgeMs ?? 24 * 3600 * 1000);
  } catch (error) {
    context.http.close();
    throw s3Failure(`open bucket ${options.bucket}`, error);
  }

  const operations = operationTracker('Object store');
  const { track } = operations;

  async function put(input: PutObjectInput): Promise<ObjectInfo> {
    const expected = checkPutInput(input);
    const { key, body, contentType } = input;
    if (Buffer.isBuffer(body)) return putBuffer(context, { key, body, contentType }, expected);
    // checkPutInput has made sure that a stream comes with its size.
    return putStaged(context, { key, body, contentType }, { size: expected.size as number, sha256: expected.sha256 });
  }

  async function remove(key: string): Promise<void> {
    assertObjectKey(key);
    try {
      await context.client.removeObject(context.bucket, key);
    } catch (error) {
      if (!isMissingObject(error)) throw s3Failure(`delete ${key}`, error);
    }
  }

  async function presignedGetUrl(key: string, expirySeconds: number): Promise<string> {
    assertObjectKey(key);
    if (!Number.isSafeInteger(expirySeconds) || expirySeconds < 1 || expirySeconds > MAX_PRESIGN_SECONDS) {
      const rule = `Must be an integer from 1 to ${MAX_PRESIGN_SECONDS}.`;
      throw ValidationError.field('expirySeconds', rule, 'INVALID_EXPIRY');
    }
    try {
      return await signer.presignedGetObject(context.bucket, key, expirySeconds);
    } catch (error) {
      throw s3Failure(`sign a URL for ${key}`, error);
    }
  }

  return {
    put: (input) => track(() => put(input)),
    get: (key, range) =>
      track(async () => {
        assertObjectKey(key);
        return getObject(context, key, range);
      }),
    stat: (key) =>
      track(async () => {
        assertObjectKey(key);
        return statInfo(context, key);
      }),
    delete: (key) => track(() => remove(key)),
    async *list(prefix) {
      operations.assertOpen();
      yield* listS3Objects(context, prefix);
    },
    presignedGetUrl: (key, expirySeconds) => track(() => presignedGetUrl(key, expirySeconds)),
    async close() {
      await operations.close();
      context.http.close();
    },
  };
}

/** One signed PUT straight to the key, after the checks: the bytes are all in memory already. */
async function putBuffer(
  context: S3Context,
  input: { key: string; body: Buffer; contentType: string },
  expected: { size: number | undefined; sha256: string | undefined },
): Promise<ObjectInfo> {
  const verifier = new BodyVerifier(expected);
  verifier.update(input.body);
  const { size, sha256 } = verifier.finish();
  const { key, contentType } = input;
  const info: ObjectInfo = { key, size, contentType, sha256, lastModified: context.clock().toISOString() };
  try {
    const metadata = { 'Content-Type': input.contentType, ...userMetadata(info) };
    await context.client.putObject(context.bucket, input.key, input.body, size, metadata);
  } catch (error) {
    throw s3Failure(`store ${input.key}`, error);
  }
  return info;
}

function checkedSetting(name: string, value: number, min: number, max: number): number {
  if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
  throw new AppError(
    'INVALID_OBJECT_STORE_CONFIG',
    `Object store option ${name} must be an integer from ${min} to ${max}, got ${value}.`,
  );
}

import { Client } from 'minio';
import { AppError } from '../../errors/appError.ts';
import type { ObjectInfo } from '../../ports/objectStore.ts';
import { isMissingObject, s3Failure } from './s3Errors.ts';
import { createS3Http, type S3Http } from './s3Http.ts';
import { infoFromStat } from './s3ObjectInfo.ts';

/** What the adapter's parts share: one bucket, one client, one HTTP layer. */
export interface S3Context {
  client: Client;
  bucket: string;
  http: S3Http;
  clock: () => Date;
  /** Part size of multipart uploads and copies (bytes held in memory per multipart upload). */
  partSize: number;
  /** Objects larger than this are uploaded and copied in parts. */
  multipartThreshold: number;
  /** A URL that lets the adapter's own HTTP layer send one signed `method` request for `key`. */
  presign(method: 'GET' | 'PUT', key: string): Promise<string>;
}

export interface S3Connection {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  pathStyle: boolean;
  timeoutMs: number;
  partSize: number;
}

/** Presigned URLs for the adapter's own requests are used at once: a short life is enough. */
const INTERNAL_URL_LIFETIME_SECONDS = 300;

/** @throws AppError `INVALID_OBJECT_STORE_CONFIG` for an endpoint that is not an http(s) origin. */
export function createS3Client(connection: S3Connection, endpoint: string, http?: S3Http): Client {
  const url = parseEndpoint(endpoint);
  return new Client({
    endPoint: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    useSSL: url.protocol === 'https:',
    accessKey: connection.accessKey,
    secretKey: connection.secretKey,
    region: connection.region, // known, so signing never asks the server for the bucket's region
    pathStyle: connection.pathStyle,
    partSize: connection.partSize,
    // Retrying would resend consumed streams and hide the server's error codes; callers retry.
    retryOptions: { disableRetry: true },
    ...(http === undefined ? {} : { transport: http.transport, transportAgent: http.agent }),
  });
}

export function createS3Context(
  connection: S3Connection,
  settings: { bucket: string; clock: () => Date; multipartThreshold: number },
): S3Context {
  const protocol = parseEndpoint(connection.endpoint).protocol as 'http:' | 'https:';
  const http = createS3Http(protocol, connection.timeoutMs);
  const client = createS3Client(connection, connection.endpoint, http);
  return {
    client,
    http,
    bucket: settings.bucket,
    clock: settings.clock,
    partSize: connection.partSize,
    multipartThreshold: settings.multipartThreshold,
    presign: (method, key) => client.presignedUrl(method, settings.bucket, key, INTERNAL_URL_LIFETIME_SECONDS),
  };
}

/** HEAD of `key`: its info, or `null` when it does not exist. */
export async function statInfo(context: S3Context, key: string): Promise<ObjectInfo | null> {
  try {
    return infoFromStat(key, await context.client.statObject(context.bucket, key));
  } catch (error) {
    if (isMissingObject(error)) return null;
    throw s3Failure(`read ${key}`, error);
  }
}

function parseEndpoint(endpoint: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  const origin = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:');
  const bare = url !== undefined && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  if (url === undefined || !origin || !bare) {
    throw new AppError(
      'INVALID_OBJECT_STORE_CONFIG',
      'Object store endpoint must be an http(s) URL without path or credentials, such as ' +
        `http://127.0.0.1:9000, got "${endpoint}".`,
    );
  }
  return url;
}

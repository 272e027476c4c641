import { suite } from 'uvu';
import { startS3rver, type S3rverFixture } from '../support/s3rverFixture.ts';
import { renditionSuite } from './renditionSuite.ts';

let s3: S3rverFixture | undefined;
const lifecycle = suite('s3rver for the S3 rendition suite');
lifecycle.before(async () => {
  s3 = await startS3rver();
});
lifecycle('s3rver is up', () => {});
lifecycle.run();

renditionSuite('the S3 engine (s3rver)', () => ({
  MINIO_ENDPOINT: s3!.endpoint,
  MINIO_ACCESS_KEY: s3!.accessKey,
  MINIO_SECRET_KEY: s3!.secretKey,
  MINIO_REGION: s3!.region,
  MINIO_BUCKET: `renditions-${Math.floor(Math.random() * 1e9)}`,
}));

const teardown = suite('s3rver teardown');
teardown('s3rver stops', async () => {
  await s3?.stop();
});
teardown.run();

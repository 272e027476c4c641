import type { BenchmarkResult } from './benchmarkResult.ts';
import { multipartImageBody } from './imageUploadRequests.ts';
import { BENCH_AUTHORIZATION } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';
import { uploadAgainstSharp } from './uploadAgainstSharp.ts';

const BOUNDARY = '----bench-upload-boundary-7d1c';

/** Issue 4, uploads: multipart `POST /api/v1/product_image/` → 201, against sharp alone. Target ≥ 0.7×. */
export function imageUploadThroughput(): Promise<BenchmarkResult> {
  return uploadAgainstSharp({
    label: 'imageUploadThroughput',
    name: 'Image upload',
    subjectLabel: 'whole service (`node --import tsx src/main.ts`, LMDB, files under DATA_DIR, LOG_LEVEL=info): multipart `POST /api/v1/product_image/` → 201',
    inputEncoding: 'binary',
    target: 0.7,
    requests: (products, jpeg) => ({
      path: '/api/v1/product_image/',
      headers: { authorization: BENCH_AUTHORIZATION, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      bodies: products.map(({ pk }) => multipartImageBody(BOUNDARY, pk, jpeg, { name: 'photo.jpg', contentType: 'image/jpeg' })),
      expect(status, body) {
        if (status !== 201) throw new Error(`upload answered ${status}: ${body}`);
      },
    }),
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(imageUploadThroughput);

import type { BenchmarkResult } from './benchmarkResult.ts';
import { BENCH_API_USERS } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';
import { uploadAgainstSharp } from './uploadAgainstSharp.ts';

/**
 * Issue 5, creates: JSON-RPC `product_media.create(sku, {file: {content: <base64>, mime, name}})`
 * with HTTP Basic credentials and a null session, against sharp alone decoding the same base64.
 * Target ≥ 0.65×.
 */
export function rpcCreateThroughput(): Promise<BenchmarkResult> {
  const basic = `Basic ${Buffer.from(BENCH_API_USERS).toString('base64')}`;
  return uploadAgainstSharp({
    label: 'rpcCreateThroughput',
    name: 'JSON-RPC product_media.create',
    subjectLabel: 'whole service: `POST /api/jsonrpc` `call(null, "product_media.create", [sku, {file: {content, mime: "image/jpeg", name}}])` with HTTP Basic credentials → `[file name]`',
    inputEncoding: 'base64',
    target: 0.65,
    requests: (products, jpeg) => {
      const content = jpeg.toString('base64');
      return {
        path: '/api/jsonrpc',
        headers: { authorization: basic, 'content-type': 'application/json' },
        bodies: products.map(({ sku }) =>
          Buffer.from(
            JSON.stringify({ jsonrpc: 2.0, id: 1, method: 'call', params: [null, 'product_media.create', [sku, { file: { content, mime: 'image/jpeg', name: 'photo' } }]] }),
          ),
        ),
        expect(status, body) {
          const answer = JSON.parse(body) as { error?: unknown; result?: unknown };
          if (status !== 200 || answer.error !== null || !Array.isArray(answer.result) || typeof answer.result[0] !== 'string') throw new Error(`create answered ${status}: ${body.slice(0, 300)}`);
        },
      };
    },
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(rpcCreateThroughput);

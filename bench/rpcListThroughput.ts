import type { BenchmarkResult } from './benchmarkResult.ts';
import { LISTED_IMAGES, seedListedProduct } from './imageListThroughput.ts';
import { listAgainstBareKoa } from './listAgainstBareKoa.ts';
import { BENCH_API_USERS } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const SKU = 'BENCH-RPC-LIST-1';

/**
 * Issue 5, listing: JSON-RPC `call(session, "product_media.list", [sku])` for a product with 10
 * images (uploaded through REST: one catalog), against a bare Koa app answering the same bytes.
 * Target ≥ 0.6×.
 */
export function rpcListThroughput(): Promise<BenchmarkResult[]> {
  return listAgainstBareKoa({
    label: 'rpcListThroughput',
    name: `JSON-RPC product_media.list, ${LISTED_IMAGES} images, 20 connections`,
    subjectLabel: 'whole service: `POST /api/jsonrpc` `call(session, "product_media.list", [sku])` with a session from `login`',
    async seed(service) {
      await seedListedProduct(service, SKU);
      const [user, key] = BENCH_API_USERS.split(':') as [string, string];
      const login = await fetch(`${service.url}/api/jsonrpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: 2.0, id: 1, method: 'login', params: [user, key] }),
      });
      const session = ((await login.json()) as { result?: unknown }).result;
      if (typeof session !== 'string') throw new Error('login over JSON-RPC failed');
      return {
        method: 'POST',
        path: '/api/jsonrpc',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: 2.0, id: 7, method: 'call', params: [session, 'product_media.list', [SKU]] }),
        check(body) {
          const { result, error } = JSON.parse(body) as { result?: unknown[]; error?: unknown };
          if (error !== null || !Array.isArray(result) || result.length !== LISTED_IMAGES) throw new Error(`product_media.list answered ${body.slice(0, 300)}`);
        },
      };
    },
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(rpcListThroughput);

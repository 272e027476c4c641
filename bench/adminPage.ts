import { join } from 'node:path';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { runHttpLoad, type HttpLoadResult } from './httpLoad.ts';
import { alternateRounds, formatRate, formatRatio, median } from './measure.ts';
import { BENCH_AUTHORIZATION, startServiceChild, type ChildServer } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const CONNECTIONS = 20;
const ROUND_SECONDS = Number(process.env.BENCH_ADMIN_ROUND_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ADMIN_ROUNDS ?? 6);
/** Products in the catalog the search looks through (the scan's bound is 10,000). */
const PRODUCTS = Number(process.env.BENCH_ADMIN_PRODUCTS ?? 10_000);
const SEED_CONCURRENCY = 16;

/**
 * Issue 23, the gallery admin, two rows on one service:
 * - its script bundle, served from memory under /admin/ (public), against `/health` (the
 *   cheapest answer of the same server). Target ≥ 0.8×.
 * - the search as you type (`/api/v1/products/?search=<part of a name>`, a scan of at most
 *   10,000 products, kept in memory as text while nothing is written) against the exact SKU
 *   filter (`?sku=`, one index read), on a catalog of PRODUCTS products. Target ≥ 0.25×.
 */
export async function adminPage(): Promise<BenchmarkResult[]> {
  return withTempDir('bench-admin-', async (dir) => {
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'));
    try {
      progress('adminPage', `seeding ${PRODUCTS} products`);
      await seedProducts(service);
      const page = await (await fetch(`${service.url}/admin/`)).text();
      const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(page)?.[1];
      if (!script) throw new Error('the admin page is not built (npm run build:admin)');
      const assets = await compare('adminPage assets', { baseline: `${service.url}/health`, subject: `${service.url}${script}` }, false);
      const search = await compare('adminPage search', { baseline: `${service.url}/api/v1/products/?sku=SKU-${PRODUCTS - 1}`, subject: `${service.url}/api/v1/products/?search=lamp%20${PRODUCTS - 1}&limit=20` }, true);
      const notes = (ratios: number[]) => [`single instance on LMDB, one service child; autocannon ${CONNECTIONS} connections, ${ROUNDS} alternating ${ROUND_SECONDS} s rounds after a 3 s warm-up of each side`, `per-round ratios: ${ratios.map(formatRatio).join(', ')}`];
      return [
        {
          name: `Admin bundle (${script.split('/').pop()}) from memory, ${CONNECTIONS} connections`,
          baselineLabel: '`GET /health` on the same service',
          subjectLabel: '`GET /admin/assets/<bundle>.js` (public, from memory, CSP headers)',
          ...figures(assets),
          ratioMeaning: 'subject requests/s ÷ baseline requests/s, median of the per-round ratios (higher is better)',
          target: { comparison: '>=', value: 0.8 },
          details: notes(assets.ratios),
        },
        {
          name: `Product search as you type over ${PRODUCTS} products, ${CONNECTIONS} connections`,
          baselineLabel: '`?sku=<exact>` (one SKU index read)',
          subjectLabel: '`?search=<part of a name>` (SKU-prefix index read + in-memory scan of the first 10,000 products)',
          ...figures(search),
          ratioMeaning: 'subject requests/s ÷ baseline requests/s, median of the per-round ratios (higher is better)',
          target: { comparison: '>=', value: 0.25 },
          details: notes(search.ratios),
        },
      ];
    } finally {
      await service.stop();
    }
  });
}

async function seedProducts(service: ChildServer): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < PRODUCTS; index = next++) {
      const response = await fetch(`${service.url}/api/v1/products/`, {
        method: 'POST',
        headers: { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' },
        body: JSON.stringify({ sku: `SKU-${index}`, name: `Desk lamp ${index}` }),
      });
      if (response.status !== 201) throw new Error(`seeding product ${index}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

type Compared = { baseline: number; subject: number; ratios: number[] };

async function compare(label: string, urls: { baseline: string; subject: string }, authorized: boolean): Promise<Compared> {
  const headers: Record<string, string> = authorized ? { authorization: BENCH_AUTHORIZATION } : {};
  const load = (url: string, seconds: number) => runHttpLoad({ url, connections: CONNECTIONS, durationSeconds: seconds, headers, method: 'GET' });
  const sides = (seconds: number) => ({ baseline: () => load(urls.baseline, seconds), subject: () => load(urls.subject, seconds) });
  const describe = (result: HttpLoadResult) => formatRate(result.requestsPerSecond, 'req');
  progress(label, 'warm-up');
  await alternateRounds(1, sides(3));
  const rounds = await alternateRounds(ROUNDS, sides(ROUND_SECONDS), ({ baseline, subject }, index) =>
    progress(label, `round ${index + 1}/${ROUNDS}: baseline ${describe(baseline)}, subject ${describe(subject)}, ${formatRatio(subject.requestsPerSecond / baseline.requestsPerSecond)}`),
  );
  return {
    baseline: median(rounds.map((round) => round.baseline.requestsPerSecond)),
    subject: median(rounds.map((round) => round.subject.requestsPerSecond)),
    ratios: rounds.map(({ baseline, subject }) => subject.requestsPerSecond / baseline.requestsPerSecond),
  };
}

const figures = (compared: Compared) => ({
  baseline: formatRate(compared.baseline, 'req'),
  subject: formatRate(compared.subject, 'req'),
  ratio: median(compared.ratios),
});

if (isEntryPoint(import.meta.url)) runStandalone(adminPage);

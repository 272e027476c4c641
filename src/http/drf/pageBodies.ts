import type { Context } from 'koa';
import type { ListResult } from '../../app/media/galleryQueries.ts';
import { toPage, type PageRequest } from './pagination.ts';

/** Query strings remembered per list: enough for the usual few client spellings of one page. */
const QUERIES_PER_LIST = 16;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Answers a list page as JSON, remembering the body of pages that show a whole frozen list.
 * Those lists are the read side's per-revision cache entries (see revisionCache.ts): while a
 * product's gallery keeps its revision its list stays the same object, and every change makes a
 * new one. So a body found under that object and the same query string is exactly what
 * rendering again would give, and the usual client request (one product's page) is answered
 * without building, linking and serializing it again. Bodies are kept as bytes (no encoding per
 * answer). Other pages are rendered each time.
 */
export function pageBodies(publicBaseUrl: string) {
  const bodies = new WeakMap<readonly unknown[], Map<string, Buffer>>();

  return function sendPage<View>(ctx: Context, list: ListResult<View>, page: PageRequest, represent: (view: View) => unknown): void {
    const { count, items } = list;
    const { request, response } = ctx;
    const query = request.querystring;
    const cacheable = Object.isFrozen(items);
    let body = cacheable ? bodies.get(items)?.get(query) : undefined;
    if (body === undefined) {
      body = Buffer.from(JSON.stringify(toPage(items.map(represent), count, page, new URL(request.url, publicBaseUrl))));
      if (cacheable) remember(items, query, body);
    }
    // Straight to Node: Koa's `set` normalizes and maps its arguments first.
    ctx.res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    response.body = body;
  };

  function remember(items: readonly unknown[], query: string, body: Buffer): void {
    let forList = bodies.get(items);
    if (forList === undefined) bodies.set(items, (forList = new Map()));
    if (forList.size >= QUERIES_PER_LIST) forList.delete(forList.keys().next().value!);
    forList.set(query, body);
  }
}

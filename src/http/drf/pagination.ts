import { NotFoundError } from '../../errors/appError.ts';
import { digitsValue } from '../digitsValue.ts';

/**
 * DRF page-number pagination as Omnitron clients use it: `?limit=` sets the page size, `?page=`
 * is 1-based, and the body is `{count, next, previous, results}` with absolute links built from
 * the configured public base URL (never from the request's Host header).
 */
export interface PageRequest {
  page: number;
  limit: number;
  offset: number;
  /** `?page=last` (DRF's `last_page_strings`): `page` is 1 until {@link lastPage} resolves it. */
  last?: true;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

/** Python's `int()` of a query value: digits, optionally signed, surrounded by whitespace. */
const INT_TEXT = /^\s*\+?(\d+)\s*$/;

/** The number `int()` reads in `text` (0 when it reads none); a huge one is Infinity. */
function pythonInt(text: string | null): number {
  const digits = text === null ? undefined : INT_TEXT.exec(text)?.[1];
  return digits === undefined ? 0 : digitsValue(digits);
}

/** Reads `page` and `limit`; a bad `limit` falls back to the default, a huge one to the most, as DRF does. */
export function parsePageRequest(query: URLSearchParams): PageRequest {
  const limitNumber = pythonInt(query.get('limit'));
  const limit = limitNumber > 0 ? Math.min(limitNumber, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const pageText = query.get('page');
  if (pageText === 'last') return { page: 1, limit, offset: 0, last: true };
  const page = pageText === null ? 1 : pythonInt(pageText);
  // Past any list: DRF's `Invalid page.` before anything is read.
  if (page < 1 || !Number.isSafeInteger(page * limit)) throw invalidPage();
  return { page, limit, offset: (page - 1) * limit };
}

/** A one-item page: enough to learn a list's count. */
export const FIRST_ITEM: PageRequest = Object.freeze({ page: 1, offset: 0, limit: 1 });

/** The page a request asks for, `page=last` resolved from the count (asked only then). */
export function resolvePage(requested: PageRequest, count: () => number): PageRequest {
  return requested.last ? lastPage(requested, count()) : requested;
}

/** The concrete page of a `page=last` request, once the count is known (page 1 when empty). */
export function lastPage(request: PageRequest, count: number): PageRequest {
  const page = Math.max(1, Math.ceil(count / request.limit));
  return { page, limit: request.limit, offset: (page - 1) * request.limit };
}

/**
 * Builds the page body. A page past the end is DRF's 404 `Invalid page.` (page 1 always exists).
 * @param requestUrl the request URL rebuilt on the public base URL (path + query).
 */
export function toPage<T>(results: T[], count: number, request: PageRequest, requestUrl: URL): Page<T> {
  const pages = Math.max(1, Math.ceil(count / request.limit));
  if (request.page > pages) throw invalidPage();
  const link = (page: number) => {
    const url = new URL(requestUrl);
    if (page === 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(page));
    return url.toString();
  };
  return {
    count,
    next: request.page < pages ? link(request.page + 1) : null,
    previous: request.page > 1 ? link(request.page - 1) : null,
    results,
  };
}

function invalidPage(): NotFoundError {
  return new NotFoundError('Invalid page.', 'INVALID_PAGE');
}

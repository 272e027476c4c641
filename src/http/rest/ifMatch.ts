import type { Context } from 'koa';
import { AppError, ConcurrencyError } from '../../errors/appError.ts';

/** The ETag of a resource at a stream revision (weak: it names a state, not bytes). */
export const etagOf = (revision: number): string => `W/"${revision}"`;

const preconditionFailed = () =>
  new AppError('PRECONDITION_FAILED', 'Precondition failed: the resource was modified since it was read.', { status: 412 });

/**
 * The revision a client pinned with `If-Match` (an ETag this service sent), or undefined when
 * it sent none or `*`. An If-Match naming no revision we could have sent can never match: 412.
 */
export function ifMatchRevision(ctx: Context): number | undefined {
  const header = ctx.get('if-match').trim();
  if (header === '' || header === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(header);
  if (!match) throw preconditionFailed();
  return Number(match[1]);
}

/** Runs a write; a conflict with a pinned revision becomes 412. */
export async function withIfMatch<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConcurrencyError) throw preconditionFailed();
    throw error;
  }
}

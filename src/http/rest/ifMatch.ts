import type { Context } from 'koa';
import { AppError, ConcurrencyError } from '../../errors/appError.ts';

/** The ETag of a resource at a stream revision (weak: it names a state, not bytes). */
export const etagOf = (revision: number): string => `W/"${revision}"`;

export const preconditionFailed = () =>
  new AppError('PRECONDITION_FAILED', 'Precondition failed: the resource was modified since it was read.', { status: 412 });

const ENTITY_TAG = /^(?:W\/)?"([^"]*)"$/;
const REVISION = /^\d{1,15}$/;

/**
 * The revision a client pinned with `If-Match` (an ETag this service sent), or undefined when
 * it sent none or `*`. The header may list several tags (RFC 9110 §13.1.1): the one naming
 * `current` (the revision this instance last saw) is pinned if listed, else the first; the
 * write then succeeds only on that revision. A header naming no revision we could have sent can
 * never match: 412.
 */
export function ifMatchRevision(ctx: Context, current: number | undefined): number | undefined {
  const header = ctx.get('if-match').trim();
  if (header === '' || header === '*') return undefined;
  const listed: number[] = [];
  for (const tag of header.split(',')) {
    const opaque = ENTITY_TAG.exec(tag.trim())?.[1];
    if (opaque !== undefined && REVISION.test(opaque)) listed.push(Number(opaque));
  }
  if (listed.length === 0) throw preconditionFailed();
  return current !== undefined && listed.includes(current) ? current : listed[0];
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

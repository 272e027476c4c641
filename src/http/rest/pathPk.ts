import type { Context } from 'koa';
import { NotFoundError } from '../../errors/appError.ts';

/** The integer pk in path parameter `name` (default `pk`), or DRF's 404 when the text cannot be one. */
export function pathPk(ctx: Context, name = 'pk'): number {
  const text = (ctx.params as Record<string, string | undefined>)[name] ?? '';
  if (!/^\d{1,15}$/.test(text)) throw new NotFoundError();
  return Number(text);
}

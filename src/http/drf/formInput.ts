import type { Context } from 'koa';

/**
 * Whether the request's body came as a form (multipart or urlencoded), which DRF reads as HTML
 * input: there an empty value of an optional field counts as not given (see `parseBody`'s `form`).
 */
export function isFormInput(ctx: Context): boolean {
  return typeof ctx.request.is('multipart', 'urlencoded') === 'string';
}

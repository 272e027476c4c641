import type { Context, Next } from 'koa';
import { AppError } from '../../errors/appError.ts';
import type { UserDirectory } from '../../auth/userDirectory.ts';

const unauthorized = (code: string, message: string) => new AppError(code, message, { status: 401 });

/**
 * DRF TokenAuthentication: `Authorization: Token <key>` (keyword case-insensitive), with DRF's
 * exact 401 texts. Sets `ctx.state.actor` to the user's name.
 */
export function tokenAuth(users: UserDirectory) {
  // Not `async`: a refusal throws, which Koa's compose turns into a rejection like any other.
  return function authenticate(ctx: Context, next: Next): Promise<void> {
    const header = ctx.req.headers.authorization ?? '';
    // The usual `Token <key>` needs no splitting; anything else goes through DRF's rules below.
    if (header.startsWith('Token ') && header.indexOf(' ', 6) === -1 && header.length > 6) {
      const actor = users.findByKey(header.slice(6));
      if (actor === undefined) throw unauthorized('INVALID_TOKEN', 'Invalid token.');
      ctx.state.actor = actor;
      return next();
    }
    const parts = header.split(' ').filter((part) => part !== '');
    if (parts.length === 0 || parts[0]!.toLowerCase() !== 'token') {
      throw unauthorized('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
    }
    if (parts.length === 1) throw unauthorized('INVALID_TOKEN_HEADER', 'Invalid token header. No credentials provided.');
    if (parts.length > 2) {
      throw unauthorized('INVALID_TOKEN_HEADER', 'Invalid token header. Token string should not contain spaces.');
    }
    const actor = users.findByKey(parts[1]!);
    if (actor === undefined) throw unauthorized('INVALID_TOKEN', 'Invalid token.');
    ctx.state.actor = actor;
    return next();
  };
}

import type { Context, Next } from 'koa';
import { AppError } from '../../errors/appError.ts';
import type { UserDirectory } from '../../auth/userDirectory.ts';

const unauthorized = (code: string, message: string) => new AppError(code, message, { status: 401 });

/**
 * The key of an `Authorization` header by DRF's rules (keyword case-insensitive, one key, no
 * spaces in it), or DRF's 401 for the header.
 */
function keyOf(header: string): string {
  // The usual `Token <key>` needs no splitting.
  if (header.startsWith('Token ') && header.length > 6 && !/[ \t\n\r\v\f]/.test(header.slice(6))) return header.slice(6);
  // DRF splits the header on any whitespace (Python's `bytes.split()`): `Token<TAB><key>` works.
  const parts = header.split(/[ \t\n\r\v\f]+/).filter((part) => part !== '');
  if (parts.length === 0 || parts[0]!.toLowerCase() !== 'token') {
    throw unauthorized('NOT_AUTHENTICATED', 'Authentication credentials were not provided.');
  }
  if (parts.length === 1) throw unauthorized('INVALID_TOKEN_HEADER', 'Invalid token header. No credentials provided.');
  if (parts.length > 2) {
    throw unauthorized('INVALID_TOKEN_HEADER', 'Invalid token header. Token string should not contain spaces.');
  }
  return parts[1]!;
}

/** The key of a well-formed `Authorization: Token <key>` header, or `undefined` (no DRF 401 texts). */
export function presentedToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return keyOf(header);
  } catch {
    return undefined;
  }
}

/**
 * DRF TokenAuthentication: `Authorization: Token <key>` (keyword case-insensitive), with DRF's
 * exact 401 texts. Sets `ctx.state.actor` to the user's name.
 */
export function tokenAuth(users: UserDirectory) {
  // Not `async`: a refusal throws, which Koa's compose turns into a rejection like any other.
  return function authenticate(ctx: Context, next: Next): Promise<void> {
    const actor = users.findByKey(keyOf(ctx.req.headers.authorization ?? ''));
    if (actor === undefined) throw unauthorized('INVALID_TOKEN', 'Invalid token.');
    ctx.state.actor = actor;
    return next();
  };
}

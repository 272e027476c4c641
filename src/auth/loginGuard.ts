import { AppError } from '../errors/appError.ts';
import type { Logger } from '../logging/logger.ts';
import type { LoginThrottle } from './loginThrottle.ts';
import type { UserDirectory } from './userDirectory.ts';

/** Where a login came from, for the throttle and the log. */
export interface LoginSource {
  address: string;
  api: 'rest' | 'rpc';
}

/** A login refused because too many failed before it: answered without checking the key. */
export class LoginThrottledError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super('LOGIN_THROTTLED', `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`, {
      status: 429,
      headers: { 'Retry-After': String(seconds) },
    });
    this.name = 'LoginThrottledError';
    this.retryAfterSeconds = seconds;
  }
}

/** Longest user name the log keeps of a failed login (names are the client's text). */
const LOGGED_NAME_LENGTH = 64;

/**
 * Every check of a user name and key (REST login, JSON-RPC login, HTTP Basic on JSON-RPC) goes
 * through here: throttled per name and per client address, every failure logged with the name
 * and address (never the key), and a throttled attempt refused before the key is looked at.
 */
export function loginGuard(deps: { users: UserDirectory; throttle: LoginThrottle; logger: Logger }) {
  return {
    /**
     * True when `name` holds `key`; false for a wrong pair.
     * @throws LoginThrottledError while the name or the address is blocked.
     */
    verify(name: string, key: string, source: LoginSource): boolean {
      const keys = [`user:${name}`, `address:${source.address}`];
      const verdict = deps.throttle.check(keys);
      if (!verdict.allowed) throw new LoginThrottledError(verdict.retryAfterMs);
      if (deps.users.verify(name, key)) {
        deps.throttle.succeeded([keys[0]!]);
        return true;
      }
      deps.throttle.failed(keys);
      deps.logger.warn('login failed', { user: name.slice(0, LOGGED_NAME_LENGTH), address: source.address, api: source.api });
      return false;
    },
  };
}

export type LoginGuard = ReturnType<typeof loginGuard>;

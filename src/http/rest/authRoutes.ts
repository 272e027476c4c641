import Router from '@koa/router';
import type { LoginGuard } from '../../auth/loginGuard.ts';
import { ValidationError } from '../../errors/appError.ts';
import { charField, parseBody } from '../drf/serializerFields.ts';

/** The one endpoint that reads the body of a client without credentials (no files: see service.ts). */
export const LOGIN_PATH = /^\/api\/v1\/auth\/login\/?$/;

// AuthTokenSerializer: the username is trimmed, the password is not (`trim_whitespace=False`).
const loginFields = { username: charField({ maxLength: 150 }), password: charField({ maxLength: 256, trimWhitespace: false }) };

/**
 * `POST /api/v1/auth/login/` as DRF's ObtainAuthToken: `{username, password}` → `{key}`. The
 * password is the user's API key (users are configured as `name:key`), so a client that
 * logs in first and then sends `Authorization: Token <key>` works unchanged. Failed logins are
 * throttled (429 with DRF's text and `Retry-After`) and logged, see src/auth/loginGuard.ts.
 */
export function authRoutes(guard: LoginGuard): Router {
  const router = new Router({ prefix: '/api/v1/auth' });
  router.post('/login', (ctx) => {
    const { username, password } = parseBody(ctx.request.body, loginFields);
    if (!guard.verify(username!, password!, { address: ctx.ip, api: 'rest' })) {
      throw new ValidationError({ non_field_errors: ['Unable to log in with provided credentials.'] }, 'INVALID_CREDENTIALS');
    }
    ctx.body = { key: password };
  });
  return router;
}

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loginGuard, LoginThrottledError } from '../../src/auth/loginGuard.ts';
import { FORGET_AFTER_MS, FREE_FAILURES, loginThrottle, MAX_BLOCK_MS } from '../../src/auth/loginThrottle.ts';
import { createUserDirectory, MAX_KEY_LENGTH } from '../../src/auth/userDirectory.ts';
import { createLogger } from '../../src/logging/logger.ts';

function clock() {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('the first failures are free, then each one doubles the wait, up to the cap', () => {
  const time = clock();
  const throttle = loginThrottle(time.now);
  const keys = ['user:erp'];
  for (let failure = 1; failure <= FREE_FAILURES; failure++) {
    assert.equal(throttle.check(keys), { allowed: true }, `failure ${failure}`);
    throttle.failed(keys);
  }
  assert.equal(throttle.check(keys), { allowed: true }, 'the free failures block nothing');
  throttle.failed(keys);
  assert.equal(throttle.check(keys), { allowed: false, retryAfterMs: 1000 });
  time.advance(1000);
  throttle.failed(keys);
  assert.equal(throttle.check(keys), { allowed: false, retryAfterMs: 2000 });
  for (let more = 0; more < 30; more++) throttle.failed(keys);
  assert.equal(throttle.check(keys), { allowed: false, retryAfterMs: MAX_BLOCK_MS });
});

test('a block holds for any of its keys; a success clears only what it names; old records are forgotten', () => {
  const time = clock();
  const throttle = loginThrottle(time.now);
  for (let failure = 0; failure <= FREE_FAILURES; failure++) throttle.failed(['user:erp', 'address:10.0.0.9']);
  assert.is(throttle.check(['user:bob', 'address:10.0.0.9']).allowed, false, 'the address is blocked for every name');
  assert.is(throttle.check(['user:erp', 'address:10.0.0.1']).allowed, false, 'the name is blocked from every address');
  assert.is(throttle.check(['user:bob', 'address:10.0.0.1']).allowed, true);
  throttle.succeeded(['user:erp']);
  assert.is(throttle.check(['user:erp', 'address:10.0.0.1']).allowed, true);
  time.advance(FORGET_AFTER_MS + 1);
  assert.is(throttle.check(['address:10.0.0.9']).allowed, true);
});

test('the guard refuses a throttled attempt unchecked, with DRF\'s text, and logs every failure without the key', () => {
  const lines: string[] = [];
  const users = createUserDirectory([{ name: 'erp', key: 'erp-key-0123456789abcdef' }]);
  const guard = loginGuard({ users, throttle: loginThrottle(), logger: createLogger({ write: (line) => lines.push(line) }) });
  const from = { address: '192.0.2.7', api: 'rest' as const };
  for (let failure = 0; failure <= FREE_FAILURES; failure++) assert.is(guard.verify('erp', `wrong-key-${failure}`, from), false);
  try {
    guard.verify('erp', 'erp-key-0123456789abcdef', from);
    assert.unreachable('throttled');
  } catch (error) {
    assert.instance(error, LoginThrottledError);
    const throttled = error as LoginThrottledError;
    assert.equal([throttled.status, throttled.message, throttled.headers], [429, 'Request was throttled. Expected available in 1 second.', { 'Retry-After': '1' }]);
  }
  assert.is(lines.length, FREE_FAILURES + 1);
  const logged = JSON.parse(lines[0]!);
  assert.equal([logged.msg, logged.user, logged.address, logged.api], ['login failed', 'erp', '192.0.2.7', 'rest']);
  assert.ok(lines.every((line) => !line.includes('wrong-key')), 'never the key');
});

test('verifying costs the same whether or not the user exists; overlong keys are refused before hashing', () => {
  const users = createUserDirectory([{ name: 'erp', key: 'erp-key-0123456789abcdef' }]);
  const key = 'k'.repeat(MAX_KEY_LENGTH);
  const time = (name: string) => {
    const start = process.hrtime.bigint();
    for (let run = 0; run < 20_000; run++) users.verify(name, key);
    return Number(process.hrtime.bigint() - start);
  };
  time('erp');
  time('nobody');
  const known = Math.min(time('erp'), time('erp'), time('erp'));
  const unknown = Math.min(time('nobody'), time('nobody'), time('nobody'));
  assert.ok(unknown > known * 0.6 && unknown < known * 1.6, `known ${known} ns, unknown ${unknown} ns`);
  const huge = 'k'.repeat(16 * 1024 * 1024);
  const start = performance.now();
  assert.is(users.verify('erp', huge), false);
  assert.is(users.findByKey(huge), undefined);
  assert.ok(performance.now() - start < 5, 'a 16 MiB key is refused without being hashed');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideKey, keyStateOf, type KeyState } from '../../src/domain/idempotency/idempotencyDecision.ts';

const RULES = { retentionMs: 24 * 3_600_000, leaseMs: 60_000 };
const AT = '2026-01-01T00:00:00.000000Z';
const later = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();
const answer = { status: 201, headers: {}, body: '{}' };
const answered: KeyState = { kind: 'answered', fingerprint: 'f', answer, answeredAt: AT, revision: 1 };
const claimed: KeyState = { kind: 'claimed', fingerprint: 'f', claimedAt: AT, revision: 0 };

test('a free or released key is claimed at the stream\'s revision', () => {
  assert.equal(decideKey({ kind: 'free', revision: -1 }, 'f', AT, RULES), { kind: 'claim', expectedRevision: -1 });
  assert.equal(decideKey({ kind: 'free', revision: 3 }, 'f', AT, RULES), { kind: 'claim', expectedRevision: 3 });
  assert.equal(decideKey({ kind: 'released', revision: 1 }, 'g', AT, RULES), { kind: 'claim', expectedRevision: 1 });
});

test('an answer is replayed to the same request within the retention, refused to another, and claimed again after it', () => {
  assert.equal(decideKey(answered, 'f', later(RULES.retentionMs - 1), RULES), { kind: 'replay', answer });
  assert.equal(decideKey(answered, 'g', later(1), RULES), { kind: 'reused' });
  assert.equal(decideKey(answered, 'f', later(RULES.retentionMs), RULES), { kind: 'claim', expectedRevision: 1 });
});

test('a live claim is waited for until its lease ends, then taken over; another request is refused', () => {
  assert.equal(decideKey(claimed, 'f', later(1000), RULES), { kind: 'wait', leaseEndsAt: later(RULES.leaseMs) });
  assert.equal(decideKey(claimed, 'f', later(RULES.leaseMs), RULES), { kind: 'claim', expectedRevision: 0 });
  assert.equal(decideKey(claimed, 'g', later(RULES.leaseMs), RULES), { kind: 'reused' });
});

test('the newest readable event says where the key stands; an Answered reads alone', () => {
  assert.equal(keyStateOf(undefined, 4), { kind: 'free', revision: 4 });
  const newest = { type: 'IdempotentRequestAnswered', data: { fingerprint: 'f', ...answer }, revision: 1, occurredAt: AT };
  assert.equal(keyStateOf(newest, 9), answered);
});

test.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Webhook } from 'standardwebhooks';
import { DEFAULT_RETRY_DELAYS_MS, retriesExhausted, retryDelayMs } from '../../src/webhooks/domain/retrySchedule.ts';
import { newWebhookSecret, signedHeaders } from '../../src/webhooks/domain/webhookSignature.ts';

const test = suite('the retry schedule and the Standard Webhooks signature');

test('retries wait 5 s, 30 s, 2 min, 10 min, 1 h, then every 6 h, jittered by ±20 %', () => {
  const middle = () => 0.5;
  assert.equal([1, 2, 3, 4, 5, 6, 7, 50].map((failed) => retryDelayMs(failed, DEFAULT_RETRY_DELAYS_MS, middle)), [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 21_600_000, 21_600_000]);
  assert.is(retryDelayMs(1, DEFAULT_RETRY_DELAYS_MS, () => 0), 4_000);
  assert.is(retryDelayMs(1, DEFAULT_RETRY_DELAYS_MS, () => 0.999999), 6_000);
});

test('the retry window ends WEBHOOK_RETRY_HOURS after the first failure', () => {
  assert.is(retriesExhausted(0, 72 * 3_600_000 - 1, 72), false);
  assert.is(retriesExhausted(0, 72 * 3_600_000, 72), true);
});

test('a signature made here verifies with the standardwebhooks library, and not with another secret or body', () => {
  const secret = newWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  const body = JSON.stringify({ type: 'ImageUploaded', position: '00000001' });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = signedHeaders(secret, 'evt-1', timestamp, body);
  assert.equal(Object.keys(headers), ['webhook-id', 'webhook-timestamp', 'webhook-signature']);
  assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/);
  assert.equal(new Webhook(secret).verify(body, headers), JSON.parse(body));
  assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers), /No matching signature found/);
  assert.throws(() => new Webhook(secret).verify(`${body} `, headers), /No matching signature found/);
  // The library's own signature of the same message is ours.
  assert.is(new Webhook(secret).sign('evt-1', new Date(timestamp * 1000), body), headers['webhook-signature']);
});

test.run();

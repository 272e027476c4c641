import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RENDITION_SIZES, parseDeliveryConfig } from '../../src/delivery/deliveryConfig.ts';
import { chooseFormat } from '../../src/delivery/formatNegotiation.ts';
import { hotObjectCache } from '../../src/delivery/hotObjectCache.ts';
import { mediaSigner } from '../../src/delivery/mediaSignature.ts';
import { mediaUrls } from '../../src/delivery/mediaUrls.ts';
import { originalKeyOf, renditionKey } from '../../src/delivery/renditionKey.ts';
import { singleFlight } from '../../src/delivery/singleFlight.ts';
import type { ObjectInfo } from '../../src/ports/objectStore.ts';

const KEY = 'products/2024/05/25/16201/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6.jpg';

test('chooseFormat: the format asked for, or for auto the best one Accept names with q > 0', () => {
  assert.is(chooseFormat(undefined, 'image/avif', 'png'), 'png');
  assert.is(chooseFormat('webp', '', 'jpeg'), 'webp');
  assert.is(chooseFormat('auto', 'image/avif,image/webp,*/*;q=0.8', 'jpeg'), 'avif');
  assert.is(chooseFormat('auto', 'IMAGE/WEBP', 'jpeg'), 'webp');
  assert.is(chooseFormat('auto', 'image/avif;q=0, image/webp;q=0.5', 'jpeg'), 'webp');
  assert.is(chooseFormat('auto', 'image/*,*/*', 'gif'), 'gif');
  assert.is(chooseFormat('auto', undefined, 'png'), 'png');
});

test('renditionKey: everything that decides the bytes is in the key, and the original can be read back', () => {
  const base = { fit: 'inside' as const, format: 'webp' as const, quality: 80 };
  assert.is(renditionKey(KEY, { ...base, width: 320 }), `renditions/${KEY}/320xauto-inside-q80.webp`);
  assert.is(renditionKey(KEY, { ...base, width: 320, quality: 70 }), `renditions/${KEY}/320xauto-inside-q70.webp`);
  assert.is(renditionKey(KEY, { ...base, height: 320, format: 'png', quality: 100 }), `renditions/${KEY}/autox320-inside.png`);
  assert.is(renditionKey(KEY, { width: 320, height: 320, fit: 'cover', format: 'avif', quality: 55 }), `renditions/${KEY}/320x320-cover-salient-q55.avif`);
  assert.is(
    renditionKey(KEY, { width: 320, height: 320, fit: 'cover', format: 'jpeg', quality: 82, focalPoint: { x: 0.3, y: 0.66667 } }),
    `renditions/${KEY}/320x320-cover-fp3000_6667-q82.jpg`,
  );
  assert.is(originalKeyOf(renditionKey(KEY, { ...base, width: 64 })), KEY);
  assert.is(originalKeyOf(KEY), undefined);
  assert.is(originalKeyOf('renditions/x'), undefined);
});

test('mediaSigner: a signature is valid for its key until it expires, and for nothing else', () => {
  const signer = mediaSigner('s'.repeat(32), 3600);
  const now = Date.UTC(2026, 0, 1, 12, 0, 1);
  const query = new URLSearchParams(signer.query(KEY, now));
  const expires = query.get('expires')!;
  const signature = query.get('signature')!;
  assert.ok(Number(expires) * 1000 >= now + 3600 * 1000, 'at least the lifetime');
  assert.ok(Number(expires) * 1000 <= now + (3600 + 900) * 1000, 'at most a step more');
  assert.is(signer.verify(KEY, expires, signature, now), 'valid');
  assert.is(signer.verify(KEY, expires, signature, Number(expires) * 1000), 'expired');
  assert.is(signer.verify(`${KEY}x`, expires, signature, now), 'invalid');
  assert.is(signer.verify(KEY, String(Number(expires) + 1), signature, now), 'invalid');
  assert.is(signer.verify(KEY, expires, `${signature.slice(0, -1)}A`, now) === 'valid', signature.endsWith('A'));
  assert.is(mediaSigner('t'.repeat(32), 3600).verify(KEY, expires, signature, now), 'invalid', 'another secret');
  assert.is(signer.query(KEY, now + 60_000), signer.query(KEY, now), 'the URL stays the same for a while');
});

test('mediaUrls: plain URLs when public, signed ones when signed', () => {
  assert.is(mediaUrls('https://cdn.example.com/media', { access: 'public', signingKey: undefined, urlTtlSeconds: 3600 })(KEY), `https://cdn.example.com/media/${KEY}`);
  const signed = mediaUrls('https://cdn.example.com/media', { access: 'signed', signingKey: 'k'.repeat(32), urlTtlSeconds: 3600 }, () => 0)(KEY);
  assert.match(signed, new RegExp(`^https://cdn\\.example\\.com/media/${KEY.replace(/\./g, '\\.')}\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));
});

test('hotObjectCache: least recently used out first, within the byte budget; large objects never in', () => {
  const cache = hotObjectCache({ maxBytes: 10, maxObjectBytes: 6 });
  const entry = (size: number) => ({ info: { size } as ObjectInfo, body: Buffer.alloc(size) });
  cache.set('a', entry(4));
  cache.set('b', entry(4));
  assert.ok(cache.get('a'), 'a is now the most recent');
  cache.set('c', entry(4));
  assert.equal([!!cache.get('a'), !!cache.get('b'), !!cache.get('c')], [true, false, true]);
  assert.is(cache.bytes, 8);
  cache.set('big', entry(7));
  assert.is(cache.get('big'), undefined);
  assert.equal([cache.admits(6), cache.admits(7)], [true, false]);
  cache.set('a', entry(2));
  assert.is(cache.bytes, 6, 'a replaced entry is counted once');
});

test('singleFlight: one job per key at a time; failures are not remembered', async () => {
  const flights = singleFlight<number>();
  let runs = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const job = async () => {
    runs += 1;
    await gate;
    return runs;
  };
  const all = Promise.all([flights.run('k', job), flights.run('k', job), flights.run('other', job)]);
  assert.is(flights.size, 2);
  release();
  assert.equal(await all, [2, 2, 2]);
  assert.is(flights.size, 0);
  await flights.run('k', () => Promise.reject(new Error('boom'))).catch(() => undefined);
  assert.is(await flights.run('k', async () => 7), 7);
});

test('parseDeliveryConfig: defaults, and every bad value named', () => {
  const problems: string[] = [];
  const read = (env: Record<string, string>) => (name: string) => env[name];
  const defaults = parseDeliveryConfig(read({}), problems, 'files');
  assert.equal(problems, []);
  assert.equal(defaults.renditionSizes, DEFAULT_RENDITION_SIZES);
  assert.equal([...defaults.renditionPresets.keys()], ['thumbnail', 'card', 'zoom']);
  assert.equal([defaults.access, defaults.redirect, defaults.renditionEager], ['public', 'none', false]);
  const custom = parseDeliveryConfig(read({ RENDITION_SIZES: '500, 100,100', RENDITION_QUALITY: 'webp=70', RENDITION_PRESETS: 'sq=300x300:contain:png' }), problems, 'files');
  assert.equal(problems, []);
  assert.equal(custom.renditionSizes, [100, 500]);
  assert.equal(custom.renditionQuality, { jpeg: 82, webp: 70, avif: 55 });
  assert.equal(custom.renditionPresets.get('sq'), { width: 300, height: 300, fit: 'contain', format: 'png' });
  parseDeliveryConfig(
    read({
      RENDITION_SIZES: '0,100', RENDITION_PRESETS: 'a=1x1:squash', RENDITION_QUALITY: 'webp=0', MEDIA_ACCESS: 'signed', MEDIA_SIGNING_KEY: 'short',
      MEDIA_REDIRECT: 'presigned', RENDITION_EAGER: 'yes', MEDIA_CACHE_BYTES: '-1',
    }),
    problems,
    'files',
  );
  assert.equal(problems, [
    'MEDIA_SIGNING_KEY must be set to at least 32 characters when MEDIA_ACCESS is signed',
    'MEDIA_REDIRECT=presigned needs the S3 object store (MINIO_ENDPOINT)',
    'RENDITION_EAGER must be 0 or 1, got "yes"',
    'RENDITION_SIZES must be a comma list of at most 64 whole numbers from 1 to 8192, got "0,100"',
    'RENDITION_PRESETS entry "a=1x1:squash" must be name=WIDTHxHEIGHT[:inside|cover|contain][:jpeg|png|webp|avif], each name once',
    'RENDITION_QUALITY entry "webp=0" must be jpeg=, webp= or avif= a whole number from 1 to 100',
    'MEDIA_CACHE_BYTES must be a whole number from 0 to 68719476736, got "-1"',
  ]);
});

test.run();

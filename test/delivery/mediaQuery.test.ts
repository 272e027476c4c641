import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RENDITION_SIZES, parsePresets } from '../../src/delivery/deliveryConfig.ts';
import { parseMediaQuery } from '../../src/delivery/mediaQuery.ts';
import { AppError } from '../../src/errors/appError.ts';

const rules = { sizes: DEFAULT_RENDITION_SIZES, presets: parsePresets('thumbnail=160x160:cover,card=480,hero=1600x:inside:webp', []) };
const parse = (query: string) => parseMediaQuery(query, rules);

function refused(query: string): { code: string; message: string; details: unknown } {
  try {
    parse(query);
  } catch (error) {
    assert.instance(error, AppError);
    const appError = error as AppError;
    assert.is(appError.status, 400, query);
    return { code: appError.code, message: appError.message, details: appError.details };
  }
  throw new Error(`expected ${query} to be refused`);
}

test('no query, or only empty pairs, asks for the original', () => {
  assert.equal(parse(''), {});
  assert.equal(parse('&&'), {});
});

test('w, h, fit and format make a rendition; fit defaults to inside', () => {
  assert.equal(parse('w=320'), { rendition: { width: 320, fit: 'inside' } });
  assert.equal(parse('w=320&h=320&fit=cover&format=webp'), { rendition: { width: 320, height: 320, fit: 'cover', format: 'webp' } });
  assert.equal(parse('format=avif'), { rendition: { fit: 'inside', format: 'avif' } });
  assert.equal(parse('h=160&format=auto'), { rendition: { height: 160, fit: 'inside', format: 'auto' } });
});

test('with one side open, every fit is inside (one stored rendition for all)', () => {
  assert.equal(parse('w=320&fit=cover'), { rendition: { width: 320, fit: 'inside' } });
  assert.equal(parse('h=320&fit=contain'), { rendition: { height: 320, fit: 'inside' } });
});

test('a preset names a box; a format may go with it', () => {
  assert.equal(parse('preset=thumbnail'), { rendition: { width: 160, height: 160, fit: 'cover' } });
  assert.equal(parse('preset=card&format=auto'), { rendition: { width: 480, fit: 'inside', format: 'auto' } });
  assert.equal(parse('preset=hero'), { rendition: { width: 1600, fit: 'inside', format: 'webp' } });
  assert.equal(parse('preset=hero&format=jpeg'), { rendition: { width: 1600, fit: 'inside', format: 'jpeg' } });
});

test('expires and signature travel together', () => {
  assert.equal(parse('expires=1700000000&signature=abc_-XYZ'), { signature: { expires: '1700000000', signature: 'abc_-XYZ' } });
  assert.equal(parse('w=64&expires=1&signature=s'), { rendition: { width: 64, fit: 'inside' }, signature: { expires: '1', signature: 's' } });
});

test('sizes outside the list name the list', () => {
  for (const query of ['w=321', 'w=0', 'w=-1', 'w=1e9', 'w=0320', 'w=320.0', 'w=', 'w=99999999999']) {
    assert.equal(refused(query), { code: 'INVALID_MEDIA_QUERY', message: 'Invalid input.', details: { w: ['Must be one of 64, 96, 128, 160, 240, 320, 480, 640, 800, 960, 1200, 1600, 2000.'] } }, query);
  }
  assert.equal(refused('h=abc').details, { h: ['Must be one of 64, 96, 128, 160, 240, 320, 480, 640, 800, 960, 1200, 1600, 2000.'] });
});

test('unknown, repeated and misspelled parameters are refused without echoing client text', () => {
  assert.equal(refused('colour=red').details, { colour: ['Unknown parameter. Allowed: w, h, fit, format, preset, expires, signature.'] });
  assert.equal(refused('W=320').details, { W: ['Unknown parameter. Allowed: w, h, fit, format, preset, expires, signature.'] });
  assert.equal(refused('<script>=1').details, { non_field_errors: ['Unknown parameter. Allowed: w, h, fit, format, preset, expires, signature.'] });
  assert.equal(refused('w=320&w=640').details, { w: ['Give this parameter once.'] });
});

test('fits, formats and presets come from their lists', () => {
  assert.equal(refused('w=320&fit=<script>').details, { fit: ['Must be one of inside, cover, contain.'] });
  assert.equal(refused('fit=cover').details, { fit: ['Give w or h with fit.'] });
  assert.equal(refused('format=../').details, { format: ['Must be one of jpeg, png, webp, avif, auto.'] });
  assert.equal(refused('format=WEBP').details, { format: ['Must be one of jpeg, png, webp, avif, auto.'] });
  assert.equal(refused('preset=nope').details, { preset: ['Must be one of thumbnail, card, hero.'] });
  assert.equal(refused('preset=card&w=320').details, { preset: ['Give either a preset or w, h and fit.'] });
  assert.equal(refused('expires=1').details, { signature: ['A signed URL needs its signature.'] });
  assert.equal(refused('signature=x').details, { expires: ['A signed URL needs expires, a Unix time in seconds.'] });
});

test('encoded or overlong queries are refused as a whole', () => {
  assert.equal(refused('w=320%00'), { code: 'INVALID_MEDIA_QUERY', message: 'Query parameters must not be encoded.', details: undefined });
  assert.equal(refused('w=3+20').message, 'Query parameters must not be encoded.');
  assert.equal(refused(`w=320&${'a'.repeat(600)}`).message, 'The query string is longer than 512 characters.');
});

test.run();

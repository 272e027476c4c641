import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { literalPrefixes } from '../../src/http/app.ts';

test('a router is asked for the literal starts of its routes, up to the first parameter', () => {
  assert.equal(literalPrefixes(['/api/v1/product_image/', '/api/v1/product_image/:pk', '/api/v1/product_image/:pk/make_special']), ['/api/v1/product_image']);
  assert.equal(literalPrefixes(['/health', '/ready']), ['/health', '/ready']);
  assert.equal(literalPrefixes(['/media/:key(.*)']), ['/media']);
  assert.equal(literalPrefixes(['/api/schema/', '/api/schema/:format']), ['/api/schema']);
});

test('a route at the root makes the router answer every path', () => {
  assert.equal(literalPrefixes(['/', '/x/:id']), ['']);
});

test.run();

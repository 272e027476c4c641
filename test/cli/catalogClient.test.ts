import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withBase64 } from '../../src/cli/import/catalogClient.ts';

const test = suite('catalog import: JSON-RPC bodies');
const SLOT = '\u0000base64\u0000';

test('withBase64 writes the same bytes as JSON.stringify with the base64 text in place', () => {
  // Longer than one piece of the encoding, and not a multiple of 3.
  const content = Buffer.from(Array.from({ length: 200_001 }, (_, index) => (index * 37 + (index >> 8)) % 256));
  const request = (value: string) => ({ jsonrpc: '2.0', id: 1, method: 'product_media.create', params: [null, 'SKU "1" é', { file: { content: value, mime: 'image/jpeg', name: 'n' }, label: 'a/b\n' }] });
  const body = withBase64(JSON.stringify(request(SLOT)), content);
  assert.is(body.toString('utf8'), JSON.stringify(request(content.toString('base64'))));
  assert.equal(JSON.parse(body.toString('utf8')).params[2].file.content, content.toString('base64'));
});

test('withBase64 refuses a request without the slot, or with it twice', () => {
  assert.throws(() => withBase64(JSON.stringify({ a: 'x' }), Buffer.from('y')), /exactly once/);
  assert.throws(() => withBase64(JSON.stringify({ a: SLOT, b: SLOT }), Buffer.from('y')), /exactly once/);
});

test.run();

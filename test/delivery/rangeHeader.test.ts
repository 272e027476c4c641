import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRangeHeader } from '../../src/delivery/rangeHeader.ts';

const test = suite('parseRangeHeader');

test('reads the three forms of a single byte range, clamped to the object', () => {
  assert.equal(parseRangeHeader('bytes=0-0', 10), { kind: 'range', range: { start: 0, end: 0 } });
  assert.equal(parseRangeHeader('bytes=2-', 10), { kind: 'range', range: { start: 2, end: 9 } });
  assert.equal(parseRangeHeader('bytes=-3', 10), { kind: 'range', range: { start: 7, end: 9 } });
  assert.equal(parseRangeHeader('bytes=5-500', 10), { kind: 'range', range: { start: 5, end: 9 } });
  assert.equal(parseRangeHeader('bytes=-500', 10), { kind: 'range', range: { start: 0, end: 9 } });
  assert.equal(parseRangeHeader('Bytes = 1 - 2', 10), { kind: 'range', range: { start: 1, end: 2 } });
  // Positions have no bound in RFC 9110: a huge last position or suffix is clamped like any other.
  assert.equal(parseRangeHeader(`bytes=0-${'9'.repeat(20)}`, 10), { kind: 'range', range: { start: 0, end: 9 } });
  assert.equal(parseRangeHeader(`bytes=-${'9'.repeat(20)}`, 10), { kind: 'range', range: { start: 0, end: 9 } });
  assert.equal(parseRangeHeader(`bytes=${'0'.repeat(18)}2-${'0'.repeat(18)}5`, 10), { kind: 'range', range: { start: 2, end: 5 } });
});

test('answers the whole object for no, several or malformed ranges', () => {
  for (const header of [undefined, '', 'bytes=0-1,3-4', 'bytes=5-2', 'bytes=-', 'items=0-1', 'bytes=a-b']) {
    assert.equal(parseRangeHeader(header, 10), { kind: 'whole' }, String(header));
  }
});

test('a start past the end, an empty suffix or any range of an empty object is unsatisfiable', () => {
  for (const [header, size] of [['bytes=10-', 10], ['bytes=10-20', 10], ['bytes=-0', 10], ['bytes=0-', 0], ['bytes=-5', 0], [`bytes=${'9'.repeat(20)}-`, 10]] as const) {
    assert.equal(parseRangeHeader(header, size), { kind: 'unsatisfiable' }, `${header} of ${size}`);
  }
});

test.run();

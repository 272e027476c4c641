import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { projectionLag } from '../../src/observability/projectionLag.ts';
import type { Position } from '../../src/ports/eventStore.ts';
import type { ProjectionRunner } from '../../src/projections/projectionRunner.ts';

const at = (n: number) => String(n).padStart(20, '0') as Position;

function runner(name: string, prefixes: string[]) {
  let position: Position | undefined;
  const fake = { projection: { name, streamNamePrefixes: prefixes }, position: () => position } as unknown as ProjectionRunner;
  return { fake, reach: (n: number) => (position = at(n)) };
}

const test = suite('projection lag');

test('counts the events of its streams not applied yet, and the age of the oldest', () => {
  let now = 1_000_000;
  const gallery = runner('gallery', ['productMedia-']);
  const products = runner('products', ['product-']);
  const lag = projectionLag([gallery.fake, products.fake], () => now);
  lag.seen('productMedia-1', at(1));
  now += 500;
  lag.seen('product-1', at(2));
  lag.seen('productMedia-1', at(3));
  now += 1500;
  assert.equal(lag.read(), [
    { name: 'gallery', events: 2, seconds: 2 },
    { name: 'products', events: 1, seconds: 1.5 },
  ]);
  gallery.reach(1);
  products.reach(2);
  assert.equal(lag.read(), [
    { name: 'gallery', events: 1, seconds: 1.5 },
    { name: 'products', events: 0, seconds: 0 },
  ]);
  gallery.reach(3);
  assert.equal(lag.read()[0], { name: 'gallery', events: 0, seconds: 0 });
});

test('stays bounded while a read model is stuck, and still counts every event', () => {
  const stuck = runner('gallery', ['productMedia-']);
  const lag = projectionLag([stuck.fake], () => 0);
  for (let n = 1; n <= 100_010; n += 1) lag.seen('productMedia-1', at(n));
  assert.is(lag.read()[0]!.events, 100_010);
  stuck.reach(100_010);
  assert.is(lag.read()[0]!.events, 0);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Decider } from '../../src/domain/decider.ts';
import { imageDownloadDecider } from '../../src/domain/download/imageDownloadDecider.ts';
import { galleryDecider } from '../../src/domain/gallery/galleryDecider.ts';
import { productDecider } from '../../src/domain/product/productDecider.ts';
import { skuDecider } from '../../src/domain/product/skuDecider.ts';
import { settingsDecider } from '../../src/domain/settings/settingsDecider.ts';

/**
 * A command no decider knows (an untyped caller, a stale client of the library) is a bug, not
 * input: `decide` throws a plain Error naming it instead of returning nothing.
 */

const stranger = { type: 'Teleport', data: { to: 'mars' }, metadata: { now: '2024-05-01T10:00:00.000000Z' } };
const strangerJson = JSON.stringify(stranger);

function refusal(decider: Decider<unknown, never, unknown>): string {
  try {
    decider.decide(stranger as never, decider.initialState());
  } catch (error) {
    assert.instance(error, Error);
    return (error as Error).message;
  }
  return 'no error';
}

test('each decider names a command it does not know', () => {
  assert.is(refusal(galleryDecider as never), `Unknown gallery command ${strangerJson}`);
  assert.is(refusal(productDecider as never), `Unknown product command ${strangerJson}`);
  assert.is(refusal(skuDecider as never), `Unknown sku command ${strangerJson}`);
  assert.is(refusal(imageDownloadDecider as never), `Unknown image download command ${strangerJson}`);
  assert.is(refusal(settingsDecider as never), 'Unknown settings command "Teleport"');
});

test.run();

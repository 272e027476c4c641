import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../src/domain/decider.ts';
import type { ChangeSetting } from '../../src/domain/settings/settingsDecider.ts';
import { settingsDecider, settingValue } from '../../src/domain/settings/settingsDecider.ts';
import type { SettingChanged } from '../../src/domain/settings/settingsEvents.ts';
import { settingsStream } from '../../src/domain/settings/settingsStream.ts';
import { deciderSpec } from '../support/deciderSpec.ts';

const spec = deciderSpec(settingsDecider);
const change = (key: string, value: unknown): ChangeSetting => ({
  type: 'ChangeSetting',
  data: { key, value },
  metadata: { now: '2024-05-01T10:00:00.000000Z' },
});
const changed = (width: number, height: number, previous = { WIDTH: 2000, HEIGHT: 2000 }): SettingChanged => ({
  type: 'SettingChanged',
  data: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: width, HEIGHT: height }, previousValue: previous },
});
const refusedValue = (value: unknown, errors: Record<string, string[]>) =>
  spec.given([]).when(change('MAX_IMAGE_DIMENSIONS', value)).thenThrows('INVALID_SETTING_VALUE', 'Invalid input.', { value: errors });
const notADict = (type: string) => ({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`] });

test('settingsStream is the single `settings` stream', () => {
  assert.is(settingsStream(), 'settings');
});

test('ChangeSetting records the value and the default it replaces', () => {
  spec.given([]).when(change('MAX_IMAGE_DIMENSIONS', { WIDTH: 3000, HEIGHT: 3000 })).then([changed(3000, 3000)]);
});

test('ChangeSetting records the value in force as previousValue', () => {
  spec
    .given([changed(3000, 3000)])
    .when(change('MAX_IMAGE_DIMENSIONS', { WIDTH: 1000, HEIGHT: 500 }))
    .then([changed(1000, 500, { WIDTH: 3000, HEIGHT: 3000 })]);
});

test('ChangeSetting to the value in force emits nothing', () => {
  spec.given([]).when(change('MAX_IMAGE_DIMENSIONS', { HEIGHT: 2000, WIDTH: 2000 })).then([]);
  spec.given([changed(3000, 1000)]).when(change('MAX_IMAGE_DIMENSIONS', { WIDTH: 3000, HEIGHT: 1000 })).then([]);
});

test('ChangeSetting refuses an unknown key under `key`', () => {
  spec.given([]).when(change('FOO', 1)).thenThrows('UNKNOWN_SETTING', 'Invalid input.', { key: ['"FOO" is not a valid choice.'] });
});

test('ChangeSetting refuses a value that is not a dictionary under non_field_errors, as a nested serializer', () => {
  refusedValue([3000, 3000], notADict('list'));
  refusedValue('3000x3000', notADict('str'));
  refusedValue(null, notADict('NoneType'));
});

test('ChangeSetting refuses missing, null, non-integer, non-positive and huge dimensions, nested per key', () => {
  refusedValue({ WIDTH: 3000 }, { HEIGHT: ['This field is required.'] });
  refusedValue({ WIDTH: null, HEIGHT: 10 }, { WIDTH: ['This field may not be null.'] });
  refusedValue({ WIDTH: 0, HEIGHT: 1.5 }, {
    WIDTH: ['Ensure this value is greater than or equal to 1.'],
    HEIGHT: ['A valid integer is required.'],
  });
  refusedValue({ WIDTH: '3000x', HEIGHT: 20001 }, {
    WIDTH: ['A valid integer is required.'],
    HEIGHT: ['Ensure this value is less than or equal to 20000.'],
  });
});

test('ChangeSetting reads integer text as DRF\'s IntegerField does ("3000", " 1000.0 "), and stores numbers', () => {
  spec.given([]).when(change('MAX_IMAGE_DIMENSIONS', { WIDTH: '3000', HEIGHT: ' 1000.0 ' })).then([changed(3000, 1000)]);
  refusedValue({ WIDTH: '1.5', HEIGHT: '0' }, {
    WIDTH: ['A valid integer is required.'],
    HEIGHT: ['Ensure this value is greater than or equal to 1.'],
  });
});

test('ChangeSetting ignores keys other than WIDTH and HEIGHT, as a nested serializer does', () => {
  spec.given([]).when(change('MAX_IMAGE_DIMENSIONS', { WIDTH: 10, HEIGHT: 10, DEPTH: 3 })).then([changed(10, 10)]);
});

test('settingValue gives the default until a change, then the last value', () => {
  assert.equal(settingValue(fold(settingsDecider, []), 'MAX_IMAGE_DIMENSIONS'), { WIDTH: 2000, HEIGHT: 2000 });
  const state = fold(settingsDecider, [changed(3000, 3000), changed(800, 600, { WIDTH: 3000, HEIGHT: 3000 })]);
  assert.equal(settingValue(state, 'MAX_IMAGE_DIMENSIONS'), { WIDTH: 800, HEIGHT: 600 });
});

test('ChangeSetting names the type of a value that is not a dictionary as Python does', () => {
  refusedValue(true, notADict('bool'));
  refusedValue(3000, notADict('int'));
  refusedValue(1.5, notADict('float'));
});

test.run();

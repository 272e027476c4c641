import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SETTINGS_TABLE, settingsProjection, type SettingView } from '../../projections/settings.ts';
import { project, recorded } from '../support/projectionSpec.ts';

const test = suite('settings projection');

const changed = (revision: number, width: number, previous: number, occurredAt: string) =>
  recorded('settings', revision, 'SettingChanged', {
    key: 'MAX_IMAGE_DIMENSIONS',
    value: { WIDTH: width, HEIGHT: width },
    previousValue: { WIDTH: previous, HEIGHT: previous },
  }, occurredAt);

const first = changed(0, 3000, 2000, '2024-05-25T10:00:00.000001Z');
const second = changed(1, 1000, 3000, '2024-05-25T11:00:00.000002Z');

test('SettingChanged stores the value in force with its time and revision', () => {
  const model = project(settingsProjection, [first, second]);
  assert.equal(model.tx.get<SettingView>(SETTINGS_TABLE, 'MAX_IMAGE_DIMENSIONS'), {
    key: 'MAX_IMAGE_DIMENSIONS',
    value: { WIDTH: 1000, HEIGHT: 1000 },
    modifiedAt: '2024-05-25T11:00:00.000002Z',
    revision: 1,
  });
});

test('applying the same event twice changes nothing', () => {
  assert.is(project(settingsProjection, [first, first]).snapshot(), project(settingsProjection, [first]).snapshot());
});

test('an older event replayed after a newer one changes nothing', () => {
  const once = project(settingsProjection, [first, second]);
  assert.is(project(settingsProjection, [first, second, first, second, first]).snapshot(), once.snapshot());
});

test('only the settings stream feeds it', () => {
  const stray = recorded('settingsArchive-1', 5, 'SettingChanged', first.data, '2024-05-25T12:00:00.000000Z');
  assert.is(project(settingsProjection, [stray]).snapshot(), project(settingsProjection, []).snapshot());
});

test.run();

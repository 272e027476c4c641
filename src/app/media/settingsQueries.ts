import { SETTINGS_TABLE, type SettingView } from '../../../projections/settings.ts';
import type { SettingKey, SettingValues } from '../../domain/settings/settingDefinitions.ts';
import { SETTING_DEFINITIONS, SETTING_KEYS } from '../../domain/settings/settingDefinitions.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import { deepFreeze } from '../deepFreeze.ts';

/** A setting as listed: the value in force, and when it was last changed (`null`: the default, never changed). */
export interface SettingEntry<Key extends SettingKey = SettingKey> {
  key: Key;
  value: SettingValues[Key];
  modifiedAt: string | null;
  revision: number | null;
}

/**
 * The defaults, copied once and frozen: callers may keep what they get, and cannot change the
 * definitions through it. (A copy per read, structuredClone, was a fiftieth of an upload's refusal.)
 */
const FROZEN_DEFAULTS = new Map<SettingKey, unknown>(SETTING_KEYS.map((key) => [key, deepFreeze(structuredClone(SETTING_DEFINITIONS[key].defaultValue))]));

/** Reads dynamic settings from the `settings` read model (projections/settings.ts), stored or folded in memory. */
export function settingsQueries(readModels: Pick<ReadModelStore, 'get'>) {
  function entry<Key extends SettingKey>(key: Key): SettingEntry<Key> {
    const stored = readModels.get<SettingView<Key>>(SETTINGS_TABLE, key);
    if (stored === undefined) return { key, value: FROZEN_DEFAULTS.get(key) as SettingValues[Key], modifiedAt: null, revision: null };
    return { key, value: stored.value, modifiedAt: stored.modifiedAt, revision: stored.revision };
  }

  return {
    /** The value in force: the last one set, or the default from SETTING_DEFINITIONS. */
    setting: <Key extends SettingKey>(key: Key): SettingValues[Key] => entry(key).value,
    /** Every known setting, in the order of SETTING_KEYS. */
    listSettings: (): SettingEntry[] => SETTING_KEYS.map((key) => entry(key)),
  };
}

export type SettingsQueries = ReturnType<typeof settingsQueries>;

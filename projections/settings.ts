import type { EventMetadata } from '../src/domain/eventMetadata.ts';
import type { SettingKey, SettingValues } from '../src/domain/settings/settingDefinitions.ts';
import type { SettingsEvent } from '../src/domain/settings/settingsEvents.ts';
import { SETTINGS_CATEGORY, settingsStream } from '../src/domain/settings/settingsStream.ts';
import type { RecordedEvent } from '../src/ports/eventStore.ts';
import type { Projection, ReadModelTx } from '../src/ports/readModelStore.ts';

/** A dynamic setting that was changed at least once (never-changed settings have no row). */
export interface SettingView<Key extends SettingKey = SettingKey> {
  key: Key;
  value: SettingValues[Key];
  /** `occurredAt` of the latest `SettingChanged` of this key. */
  modifiedAt: string;
  /** Revision of the `settings` stream that set this value. */
  revision: number;
}

/** key → {@link SettingView}. */
export const SETTINGS_TABLE = 'settings';

/**
 * Dynamic settings in force, fed by the `settings` stream. Idempotent by revision: each event
 * changes one key, so an event at or below the revision stored for its key was applied already.
 */
export const settingsProjection: Projection = {
  name: 'settings',
  version: 1,
  tables: [SETTINGS_TABLE],
  streamNamePrefixes: [SETTINGS_CATEGORY],
  apply(tx: ReadModelTx, recorded: RecordedEvent) {
    // The prefix filter would also pass a stream merely starting with `settings`.
    if (recorded.streamName !== settingsStream()) return;
    const event = { type: recorded.type, data: recorded.data } as SettingsEvent;
    switch (event.type) {
      case 'SettingChanged': {
        const { key, value } = event.data;
        const stored = tx.get<SettingView>(SETTINGS_TABLE, key);
        if (stored !== undefined && recorded.revision <= stored.revision) return;
        const { occurredAt } = recorded.metadata as EventMetadata;
        return tx.put(SETTINGS_TABLE, key, { key, value, modifiedAt: occurredAt, revision: recorded.revision } satisfies SettingView);
      }
      default: {
        const unknown: never = event.type;
        return unknown;
      }
    }
  },
};

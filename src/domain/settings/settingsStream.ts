/** Stream category of the settings aggregate; the category is the whole stream name. */
export const SETTINGS_CATEGORY = 'settings';

/** The single stream of dynamic settings. */
export const settingsStream = (): string => SETTINGS_CATEGORY;

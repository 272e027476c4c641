import { FAULT_MESSAGES, type FaultNumber } from './shipStreamFaults.ts';

/**
 * What OpenMage's API handler tells about itself (`resources`, `globalFaults`, `resourceFaults`),
 * for the one resource this service has: its titles and faults as OpenMage's `api.xml` declares
 * them (Mage/Api for the general faults, Mage/Catalog for `catalog_product_attribute_media`).
 */

/** The resource's name and the aliases OpenMage's `resources_alias` gives it. */
export const MEDIA_RESOURCE = 'catalog_product_attribute_media';
export const MEDIA_RESOURCE_ALIASES = ['product_attribute_media', 'product_media'] as const;

/** Every name a call may give the resource. */
export const MEDIA_RESOURCE_NAMES: ReadonlySet<string> = new Set([MEDIA_RESOURCE, ...MEDIA_RESOURCE_ALIASES]);

/** The resource's methods in `api.xml`'s order, with their titles. */
const METHOD_TITLES: readonly (readonly [string, string])[] = [
  ['currentStore', 'Set/Get current store view'],
  ['list', 'Retrieve product image list'],
  ['info', 'Retrieve product image'],
  ['types', 'Retrieve product image types'],
  ['create', 'Upload new product image '],
  ['update', 'Update product image'],
  ['remove', 'Remove product image'],
];

/** The general faults (Mage/Api's `api.xml`), and ours: 7 for a full image pipeline. */
const GLOBAL_FAULTS: readonly FaultNumber[] = [0, 1, 2, 3, 4, 5, 6, 7];
const MEDIA_FAULTS: readonly FaultNumber[] = [100, 101, 102, 103, 104, 105, 106, 107];

export interface FaultEntry {
  code: number;
  message: string;
}

const entries = (faults: readonly FaultNumber[]): FaultEntry[] => faults.map((code) => ({ code, message: FAULT_MESSAGES[code] }));

/** `globalFaults`: `[{code, message}]`. */
export const globalFaults = (): FaultEntry[] => entries(GLOBAL_FAULTS);

/** `resourceFaults` of a resource name or alias; `undefined` for any other name. */
export const resourceFaults = (name: string): FaultEntry[] | undefined => (MEDIA_RESOURCE_NAMES.has(name) ? entries(MEDIA_FAULTS) : undefined);

/** `resources`: the media resource with its aliases and methods, each method with the paths it answers to. */
export function resources() {
  return [
    {
      title: 'Product Images API',
      description: null,
      name: MEDIA_RESOURCE,
      aliases: [...MEDIA_RESOURCE_ALIASES],
      methods: METHOD_TITLES.map(([name, title]) => ({
        title,
        description: null,
        path: `${MEDIA_RESOURCE}.${name}`,
        name,
        aliases: MEDIA_RESOURCE_ALIASES.map((alias) => `${alias}.${name}`),
      })),
    },
  ];
}

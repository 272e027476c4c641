import type Router from '@koa/router';
import type { Field, FieldTraits } from './serializerFields.ts';

/** What DRF's SimpleMetadata says of one serializer field in an OPTIONS answer. */
export interface FieldInfo {
  type: string;
  required: boolean;
  read_only: boolean;
  label: string;
  min_length?: number;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  children?: Record<string, FieldInfo>;
  choices?: Array<{ value: string; display_name: string }>;
}

/** A view as an OPTIONS answer describes it: DRF's view name and, for a view that creates, its serializer. */
export interface ViewMetadata {
  /** DRF's `get_view_name()`: the view class in words plus its suffix, e.g. `Product Image List`. */
  name: string;
  description?: string;
  /** The fields of the serializer a POST takes (`actions.POST`), in the representation's order. */
  post?: Record<string, FieldInfo>;
}

/** What every REST view renders and parses (DRF's `renderer_classes` / `parser_classes`). */
export const RENDERS = ['application/json'] as const;
export const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'] as const;

/** DRF's default label of a field: its name in words, first letter capital, the rest lower (Python's `capitalize`). */
export function fieldLabel(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** DRF's SimpleMetadata body of an OPTIONS answer (`actions` only for a view that takes a POST). */
export function metadataBody(view: ViewMetadata) {
  return {
    name: view.name,
    description: view.description ?? '',
    renders: [...RENDERS],
    parses: [...PARSES],
    ...(view.post === undefined ? {} : { actions: { POST: view.post } }),
  };
}

/** SimpleMetadata's entry for traits, in its key order: type, required, read_only, label, limits, children, choices. */
function describe(traits: FieldTraits, required: boolean, readOnly: boolean, label: string): FieldInfo {
  const { type, min_length, max_length, min_value, max_value, children, choices } = traits;
  return {
    type,
    required,
    read_only: readOnly,
    label,
    ...(min_length === undefined ? {} : { min_length }),
    ...(max_length === undefined ? {} : { max_length }),
    ...(min_value === undefined ? {} : { min_value }),
    ...(max_value === undefined ? {} : { max_value }),
    ...(children === undefined
      ? {}
      : { children: Object.fromEntries(Object.entries(children).map(([key, child]) => [key, describe(child, true, false, fieldLabel(key))])) }),
    // SimpleMetadata lists choices of writable fields only.
    ...(choices === undefined || readOnly ? {} : { choices: choices.map((value) => ({ value, display_name: value })) }),
  };
}

/** A writable field of a serializer, described from its parser. */
export function writable(name: string, field: Field<unknown>, label = fieldLabel(name)): FieldInfo {
  return describe(field.info ?? { type: 'field' }, field.required && field.default === undefined, false, label);
}

/** A field of the representation a client cannot set (`pk`, dates, ...). */
export function readOnly(name: string, type: string, label = fieldLabel(name)): FieldInfo {
  return describe({ type }, false, true, label);
}

/** A required upload of a multipart form (`image upload`, `file upload`). */
export function upload(name: string, type: 'image upload' | 'file upload'): FieldInfo {
  return describe({ type }, true, false, fieldLabel(name));
}

/**
 * Answers `OPTIONS path` with the view's metadata. The router's own OPTIONS handling runs first
 * (it sets `Allow` from the routes of the path), then the body is DRF's.
 */
export function routeOptions(router: Router, path: string, view: ViewMetadata): void {
  const body = metadataBody(view);
  router.options(path, async (ctx, next) => {
    await next();
    ctx.status = 200;
    ctx.body = body;
  });
}

import { EVENT_CATALOG } from '../../domain/events.ts';
import { FieldIssue, MESSAGES, pythonTypeName, type Field } from '../../http/drf/serializerFields.ts';

/** The event types a subscription may ask for: the gallery events of the feed. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = EVENT_CATALOG.filter((entry) => entry.category === 'productMedia').map((entry) => entry.type);

const MAX_LIST = 1000;

/** A DRF ListField of `item` (null: every one), with DRF's messages per item (`{"0": [...]}` flattened to the first problem). */
function listField<T>(item: (value: unknown) => T): Field<T[] | null> {
  return {
    required: false,
    allowNull: true,
    parse(value) {
      if (!Array.isArray(value)) throw new FieldIssue(`Expected a list of items but got type "${pythonTypeName(value)}".`);
      if (value.length > MAX_LIST) throw new FieldIssue(`Ensure this field has no more than ${MAX_LIST} elements.`);
      return [...new Set(value.map(item))];
    },
  };
}

/** `events`: gallery event type names. */
export const eventTypesField = listField((value) => {
  if (typeof value !== 'string' || !WEBHOOK_EVENT_TYPES.includes(value)) throw new FieldIssue(MESSAGES.invalidChoice(typeof value === 'object' ? JSON.stringify(value) : value));
  return value;
});

/** `products`: product pks (whole numbers). */
export const productPksField = listField((value) => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new FieldIssue(`Incorrect type. Expected pk value, received ${typeof value === 'string' ? 'unicode' : pythonTypeName(value)}.`);
});

/** `url`: an absolute http(s) URL of at most 2048 characters (checked against the SSRF guard separately). */
export const urlField = (required: boolean): Field<string> => ({
  required,
  parse(value) {
    if (typeof value !== 'string') throw new FieldIssue(MESSAGES.notString);
    const text = value.trim();
    if (text === '') throw new FieldIssue(MESSAGES.blank);
    if (text.length > 2048) throw new FieldIssue(MESSAGES.maxLength(2048));
    return text;
  },
});

/** Rough V8 costs (64-bit, no pointer compression): headers, and one slot per property or element. */
const OBJECT_BYTES = 40;
const ARRAY_BYTES = 32;
const SLOT_BYTES = 8;
const STRING_BYTES = 24;

/** Sizes of objects already frozen and measured: being frozen, they can never change. */
const measured = new WeakMap<object, number>();

/**
 * Deep-freezes `value` and answers an estimate of the bytes it holds. What was frozen and
 * measured before is neither walked nor frozen again, so for a new state that shares most of its
 * objects with the previous one (deciders' `evolve` copies only what changes) the cost is that of
 * the new objects and of the arrays that hold them, not of the whole state.
 *
 * An estimate: a string or object referenced twice is counted twice, and strings count one
 * byte per character.
 */
export function freezeAndMeasure(value: unknown): number {
  if (typeof value === 'string') return STRING_BYTES + value.length;
  if (typeof value !== 'object' || value === null) return SLOT_BYTES;
  const known = measured.get(value);
  if (known !== undefined) return known;
  // Marked before the walk, so a cycle (never made by a fold, but cheap to survive) ends here.
  measured.set(value, 0);
  let bytes: number;
  if (Array.isArray(value)) {
    bytes = ARRAY_BYTES;
    for (const element of value) bytes += SLOT_BYTES + freezeAndMeasure(element);
  } else {
    bytes = OBJECT_BYTES;
    for (const member of Object.values(value)) bytes += SLOT_BYTES + freezeAndMeasure(member);
  }
  Object.freeze(value);
  measured.set(value, bytes);
  return bytes;
}

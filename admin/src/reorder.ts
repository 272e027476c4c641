/**
 * The order changes that move the item at `from` to position `to` in a gallery listed in order:
 * every item takes its index as its order (orders may repeat or have gaps before; after, they
 * are 0, 1, 2, ...), and only items whose order changes are written. Pure.
 */
export function reorderWrites(items: ReadonlyArray<{ pk: number; order: number }>, from: number, to: number): Array<{ pk: number; order: number }> {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return [];
  const moved = [...items];
  const [item] = moved.splice(from, 1);
  moved.splice(to, 0, item!);
  return moved.flatMap((entry, index) => (entry.order === index ? [] : [{ pk: entry.pk, order: index }]));
}

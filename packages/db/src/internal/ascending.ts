/**
 * `items` sorted by `key` (ascending, in place), or `items` untouched when already in order. For
 * rows PostgreSQL aggregated without an `ORDER BY` of its own (a per-aggregate sort costs it
 * 40–60 % of the query): they usually keep their input's or the table's order, but SQL does not
 * promise it, so readers check and sort.
 */
export function inAscendingOrder<T>(items: T[], key: (item: T) => number): T[] {
  for (let i = 1; i < items.length; i++) {
    if (key(items[i]!) < key(items[i - 1]!)) return items.sort((a, b) => key(a) - key(b));
  }
  return items;
}

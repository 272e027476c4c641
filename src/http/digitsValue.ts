/**
 * The value of a run of decimal digits of any length, as Python's `int()` reads it: leading
 * zeros are dropped, and more than 15 significant digits (past any size, count or pk here) is
 * Infinity rather than a number that has lost digits.
 */
export function digitsValue(digits: string): number {
  const significant = digits.replace(/^0+(?=\d)/, '');
  return significant.length > 15 ? Number.POSITIVE_INFINITY : Number(significant);
}

/**
 * Freezes `value` and everything it holds, and answers it: a value many callers share can then
 * not be changed by one of them (a change throws instead of corrupting the next answer).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

type Read = (name: string) => string | undefined;

/**
 * A reader of whole-number settings: `integer(name, fallback, min, max)` is the variable's value,
 * or `fallback` when it is unset or refused (the refusal is added to `problems`, naming it).
 */
export function integerSetting(read: Read, problems: string[]) {
  return (name: string, fallback: number, min: number, max: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!/^\d{1,12}$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return Number(value);
  };
}

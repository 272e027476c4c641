/**
 * The query string as Django's QueryDict answers `.get()`: a parameter given more than once has
 * its last value (`?product=1&product=2` filters on 2).
 */
export function queryParams(querystring: string): URLSearchParams {
  const params = new URLSearchParams(querystring);
  return hasRepeatedName(params) ? lastValues(params) : params;
}

/** Query strings are short: comparing names pairwise beats building a set. */
function hasRepeatedName(params: URLSearchParams): boolean {
  if (params.size < 2) return false;
  const names = [...params.keys()];
  for (let index = 1; index < names.length; index++) if (names.indexOf(names[index]!) < index) return true;
  return false;
}

function lastValues(params: URLSearchParams): URLSearchParams {
  const last = new URLSearchParams();
  for (const [name, value] of params) last.set(name, value);
  return last;
}

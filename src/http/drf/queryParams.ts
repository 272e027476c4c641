/**
 * The query string as Django's QueryDict answers `.get()`: a parameter given more than once has
 * its last value (`?product=1&product=2` filters on 2).
 */
export function queryParams(querystring: string): URLSearchParams {
  const params = new URLSearchParams(querystring);
  if (params.size < 2) return params;
  const lastValues = new URLSearchParams();
  for (const [name, value] of params) lastValues.set(name, value);
  return lastValues.size === params.size ? params : lastValues;
}

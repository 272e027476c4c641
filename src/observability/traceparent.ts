/** W3C Trace Context `traceparent`: version, trace id, parent span id, flags. */
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
const ZERO_TRACE_ID = '0'.repeat(32);

/** The trace id a `traceparent` header names, or undefined when it is absent or invalid (all zeros is invalid). */
export function traceIdOfTraceparent(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (match === null || match[1] === ZERO_TRACE_ID || header.startsWith('ff')) return undefined;
  return match[1];
}

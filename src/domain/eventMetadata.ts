/** Which public surface caused an event. */
export const APIS = ['rest', 'rpc', 'download', 'cli', 'webhook'] as const;
export type Api = (typeof APIS)[number];

/**
 * The envelope every stored event carries besides its payload. It answers the audit questions:
 * who (`actor`), through what (`api`), why (`correlationId`: the request or job; `causationId`:
 * the message that caused this one), and when (`occurredAt`, from the injected clock).
 */
export interface EventMetadata {
  actor: string;
  api: Api;
  correlationId: string;
  causationId: string;
  /** ISO-8601 UTC with microseconds, e.g. `2022-11-25T12:06:42.954200Z`. */
  occurredAt: string;
  /** Version of the event's payload schema; older versions are upcast when read. */
  schemaVersion: number;
  /** The W3C trace id (32 hex) of the request that caused the event, when it had one (tracing on, or an incoming `traceparent`). */
  traceId?: string;
}

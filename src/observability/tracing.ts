import type { IncomingMessage } from 'node:http';
import type { ObservabilityConfig } from './observabilityConfig.ts';
import { traceIdOfTraceparent } from './traceparent.ts';

/** Span attributes: flat values only. */
export type SpanAttributes = Record<string, string | number | boolean>;

/** The server span of one HTTP request. */
export interface RequestSpan {
  /** The trace this request belongs to (32 hex), when there is one. */
  readonly traceId: string | undefined;
  /** Runs the request's handler so that every span it starts is a child of this one. */
  run(handle: () => void): void;
  end(status: number, route: string): void;
}

/**
 * The tracing port: the service starts spans through this, never through `@opentelemetry/*`, so
 * that without `OTEL_EXPORTER_OTLP_ENDPOINT` no OpenTelemetry module is loaded at all.
 */
export interface Tracing {
  readonly enabled: boolean;
  /** Runs `work` in a span, a child of the current one; a rejection marks the span as failed. */
  inSpan<T>(name: string, attributes: SpanAttributes, work: () => Promise<T>): Promise<T>;
  /** The server span of an incoming request, continuing its W3C `traceparent` when it has one. */
  startRequest(req: IncomingMessage): RequestSpan;
  /** Sends what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * No tracing: spans cost nothing. An incoming `traceparent` still gives the request its trace id
 * (access log, event metadata), so an upstream trace can be followed into this service's logs.
 */
export const noTracing: Tracing = {
  enabled: false,
  inSpan: (_name, _attributes, work) => work(),
  startRequest: (req) => ({
    traceId: traceIdOfTraceparent(req.headers.traceparent),
    run: (handle) => handle(),
    end: () => {},
  }),
  shutdown: async () => {},
};

/** Tracing as configured: OpenTelemetry, loaded only now and only when an OTLP endpoint is set. */
export async function tracingFor(config: ObservabilityConfig): Promise<Tracing> {
  if (config.otlpEndpoint === undefined) return noTracing;
  const { otlpTracing } = await import('./otelTracing.ts');
  return otlpTracing({ endpoint: config.otlpEndpoint, serviceName: config.serviceName });
}

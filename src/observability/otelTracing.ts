import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RequestSpan, SpanAttributes, Tracing } from './tracing.ts';

/** Where spans go: an OTLP/HTTP endpoint (batched), or an exporter given by a test (each span as it ends). */
export type OtelTracingOptions = { serviceName: string } & ({ endpoint: string } | { exporter: SpanExporter });

const propagator = new W3CTraceContextPropagator();

/**
 * Tracing with the OpenTelemetry SDK. The only module that imports `@opentelemetry/*` (besides
 * tests), and it is imported only when tracing is configured. The provider is this service's
 * own (not the global one: several services may share a process in tests); the context manager
 * is process-wide by nature (async local storage), installed once.
 */
export function otlpTracing(options: OtelTracingOptions): Tracing {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const processor =
    'exporter' in options
      ? new SimpleSpanProcessor(options.exporter)
      : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint}/v1/traces`, timeoutMillis: 2000 }), { maxQueueSize: 2048 });
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.serviceName }), spanProcessors: [processor] });
  const tracer: Tracer = provider.getTracer('product-media-catalog');

  return {
    enabled: true,
    inSpan<T>(name: string, attributes: SpanAttributes, work: () => Promise<T>): Promise<T> {
      return tracer.startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await work();
        } catch (error) {
          failed(span, error);
          throw error;
        } finally {
          span.end();
        }
      });
    },
    startRequest(req): RequestSpan {
      const parent: Context = propagator.extract(ROOT_CONTEXT, req.headers, {
        get: (carrier, key) => carrier[key],
        keys: (carrier) => Object.keys(carrier),
      });
      const span = tracer.startSpan(
        `${req.method} request`,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'url.path': (req.url ?? '').split('?', 1)[0]! } },
        parent,
      );
      const active = trace.setSpan(parent, span);
      return {
        traceId: span.spanContext().traceId,
        run: (handle) => context.with(active, handle),
        end(status, route) {
          // Semantic conventions: the span is named after the route template, not the raw path.
          span.updateName(`${req.method} ${route}`);
          span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    // Spans still buffered are sent if the collector answers; one that does not never holds up
    // or fails the service's stop (traces are best effort, the events are the record).
    shutdown: () => provider.shutdown().catch(() => {}),
  };
}

function failed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  if (error instanceof Error) span.recordException(error);
}

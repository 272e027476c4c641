import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processMetrics } from './processMetrics.ts';

/** Latency buckets (seconds) for requests and store calls: 1 ms to 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Image work takes longer: 5 ms to 30 s (the job timeout's default). */
const IMAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The instruments of one service instance, in its own registry (several instances may share a
 * process in tests); the process metrics (CPU, memory, event loop, GC) live in one registry per
 * process and are appended at scrape time. Every label takes values from a closed set (route
 * templates, known method names, codes), so the number of series stays bounded whatever clients send.
 */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const metrics = {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status, from the first byte read to the last byte written.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    rpcCalls: new Counter({
      name: 'jsonrpc_calls_total',
      help: 'ShipStream JSON-RPC calls by method (call:<resourcePath> for `call`; unknown methods as "unknown").',
      labelNames: ['method'] as const,
      registers,
    }),
    rpcFaults: new Counter({
      name: 'jsonrpc_faults_total',
      help: 'ShipStream JSON-RPC calls answered with an error, by method and JSON-RPC error code.',
      labelNames: ['method', 'code'] as const,
      registers,
    }),
    appendDuration: new Histogram({
      name: 'eventstore_append_duration_seconds',
      help: 'Event-store appends by outcome (ok, conflict, error).',
      labelNames: ['outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    appendConflicts: new Counter({
      name: 'eventstore_append_conflicts_total',
      help: 'Appends refused because the stream was not at the expected revision (optimistic concurrency).',
      registers,
    }),
    readDuration: new Histogram({
      name: 'eventstore_read_duration_seconds',
      help: 'Event-store reads (one stream, or the global log) by kind.',
      labelNames: ['kind'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    objectStoreDuration: new Histogram({
      name: 'object_store_operation_duration_seconds',
      help: 'Object-store calls by operation (put, get, stat, delete) and outcome (ok, not_found, error).',
      labelNames: ['operation', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    imageJobsQueued: new Gauge({ name: 'image_jobs_queued', help: 'Image jobs waiting for a slot (uploads and renditions share the slots).', registers }),
    imageJobsRunning: new Gauge({ name: 'image_jobs_running', help: 'Image jobs holding a slot.', registers }),
    imageJobsStarted: new Counter({
      name: 'image_jobs_started_total',
      help: 'Image jobs that got a slot, by kind (upload, rendition).',
      labelNames: ['kind'] as const,
      registers,
    }),
    imageJobDuration: new Histogram({
      name: 'image_job_duration_seconds',
      help: 'Image jobs by kind (upload, rendition) and outcome (ok, error), waiting for a slot included.',
      labelNames: ['kind', 'outcome'] as const,
      buckets: IMAGE_BUCKETS,
      registers,
    }),
    /** A gauge whose values are read at scrape time from `read` (each series: labels and value). */
    registerGauge: (name: string, help: string, labelNames: readonly string[], read: () => Iterable<[Record<string, string>, number]>) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const [labels, value] of read()) this.set(labels, value);
        },
      }),
    /** The text exposition of this instance's metrics and the process's. */
    async scrape(): Promise<string> {
      const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return `${own}\n${process}`;
    },
    contentType: registry.contentType,
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

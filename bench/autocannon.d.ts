/**
 * The slice of autocannon's API the HTTP benchmarks use (the package ships no types, and the one
 * devDependency allowed for them is autocannon itself).
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    /** Requests per second across all connections (each connection sends its share, then waits for the next second). */
    overallRate?: number;
    connectionRate?: number;
    headers?: Record<string, string>;
    method?: string;
    body?: string | Buffer;
    timeout?: number;
  }

  export interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p99: number;
    max: number;
    total: number;
  }

  export interface Result {
    requests: Histogram;
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  export default function autocannon(options: Options): Instance;
}

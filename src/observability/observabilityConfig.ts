/** Metrics and traces: the `METRICS*` and `OTEL_*` settings. */
export interface ObservabilityConfig {
  /** `METRICS` (`on` by default; `off` removes `/metrics` and every instrument). */
  metrics: boolean;
  /**
   * `METRICS_TOKEN`: when set, `/metrics` answers only `Authorization: Bearer <token>` (at least 16
   * visible characters); unset, it is open like `/health`.
   */
  metricsToken: string | undefined;
  /**
   * `OTEL_EXPORTER_OTLP_ENDPOINT` (e.g. `http://collector:4318`): traces are exported over OTLP/HTTP
   * to `<endpoint>/v1/traces`. Unset: no tracing, and no OpenTelemetry module is even loaded.
   */
  otlpEndpoint: string | undefined;
  /** `OTEL_SERVICE_NAME` (default `product-media-catalog`): the `service.name` of every span. */
  serviceName: string;
}

/** Reads the observability settings; every problem is added to `problems`, naming its variable. */
export function parseObservabilityConfig(read: (name: string) => string | undefined, problems: string[]): ObservabilityConfig {
  const metrics = read('METRICS') ?? 'on';
  if (metrics !== 'on' && metrics !== 'off') problems.push(`METRICS must be on or off, got "${metrics}"`);
  const metricsToken = read('METRICS_TOKEN');
  // Never echo the value: it is a secret.
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) problems.push('METRICS_TOKEN must be at least 16 visible characters without spaces');
  const otlpEndpoint = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (otlpEndpoint !== undefined && !isHttpUrl(otlpEndpoint)) {
    problems.push(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https URL such as http://collector:4318, got "${otlpEndpoint}"`);
  }
  return {
    metrics: metrics !== 'off',
    metricsToken,
    otlpEndpoint: otlpEndpoint?.replace(/\/+$/, ''),
    serviceName: read('OTEL_SERVICE_NAME') ?? 'product-media-catalog',
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

const test = suite('observability configuration');

test('defaults: metrics on and open, no tracing', () => {
  assert.equal(loadConfig({}).observability, { metrics: true, metricsToken: undefined, otlpEndpoint: undefined, serviceName: 'product-media-catalog' });
});

test('reads METRICS, METRICS_TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME', () => {
  const config = loadConfig({ METRICS: 'off', METRICS_TOKEN: 'scrape-token-0123456789', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_SERVICE_NAME: 'catalog-eu' });
  assert.equal(config.observability, { metrics: false, metricsToken: 'scrape-token-0123456789', otlpEndpoint: 'http://collector:4318', serviceName: 'catalog-eu' });
});

test('bad values are configuration errors naming the variable, never echoing the token', () => {
  try {
    loadConfig({ METRICS: 'yes', METRICS_TOKEN: 'short secret', OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' });
    assert.unreachable('no error');
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.equal((error as ConfigError).problems, [
      'METRICS must be on or off, got "yes"',
      'METRICS_TOKEN must be at least 16 visible characters without spaces',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https URL such as http://collector:4318, got "grpc://collector:4317"',
    ]);
  }
});

test.run();

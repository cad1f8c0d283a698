import type { ExporterFactory } from '../component/component.ts';
import { debugExporterFactory } from './debug/factory.ts';
import { otlpExporterFactory } from './otlp/factory.ts';
import { otlpHttpExporterFactory } from './otlphttp/factory.ts';

// The exporters a pipeline can name, keyed by their Collector type. Newer Collector
// releases renamed `otlp` to `otlp_grpc` and `otlphttp` to `otlp_http` (keeping the
// old names as aliases); both spellings work here.

export { createDebugExporterFactory, debugExporterFactory, type DebugConfig, type DebugExporterOptions } from './debug/factory.ts';
export { otlpExporterFactory, type OtlpGrpcConfig } from './otlp/factory.ts';
export { otlpHttpExporterFactory, type OtlpHttpConfig } from './otlphttp/factory.ts';

const factories: ReadonlyArray<ExporterFactory<unknown>> = [
  otlpExporterFactory,
  { ...otlpExporterFactory, type: 'otlp_grpc' },
  otlpHttpExporterFactory,
  { ...otlpHttpExporterFactory, type: 'otlp_http' },
  debugExporterFactory,
];

export const exporterFactories: ReadonlyMap<string, ExporterFactory<unknown>> = new Map(
  factories.map((factory) => [factory.type, factory]),
);

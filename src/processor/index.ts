import type { ProcessorFactory } from '../component/component.ts';
import { attributesProcessorFactory } from './attributes/factory.ts';
import { batchProcessorFactory } from './batch/factory.ts';
import { filterProcessorFactory } from './filter/factory.ts';
import { memoryLimiterProcessorFactory } from './memory-limiter/factory.ts';
import { resourceProcessorFactory } from './resource/factory.ts';

// The processors a pipeline can name, keyed by their Collector type.

export { attributesProcessorFactory, type AttributesConfig } from './attributes/factory.ts';
export { batchProcessorFactory, type BatchConfig } from './batch/factory.ts';
export { filterProcessorFactory, type FilterConfig } from './filter/factory.ts';
export { memoryLimiterProcessorFactory, type MemoryLimiterConfig } from './memory-limiter/factory.ts';
export { resourceProcessorFactory, type ResourceConfig } from './resource/factory.ts';

const factories: ReadonlyArray<ProcessorFactory<unknown>> = [
  batchProcessorFactory,
  memoryLimiterProcessorFactory,
  filterProcessorFactory,
  attributesProcessorFactory,
  resourceProcessorFactory,
];

export const processorFactories: ReadonlyMap<string, ProcessorFactory<unknown>> = new Map(
  factories.map((factory) => [factory.type, factory]),
);

import { z } from 'zod';

// Small zod pieces shared by the processor factories' config schemas.

/**
 * A component's YAML value is null when written as a bare key (`batch:`); that
 * means "all defaults", like an empty mapping.
 */
export function componentConfig<T extends z.ZodType>(schema: T): z.ZodPreprocess<T> {
  return z.preprocess((value) => (value === null || value === undefined ? {} : value), schema);
}

/** Go's uint32, which the Collector uses for sizes and percentages. */
export const uint32Schema = z.number().int().min(0).max(4_294_967_295);

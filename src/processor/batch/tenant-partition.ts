import type { CreateSettings } from '../../component/component.ts';
import { formatComponentId } from '../../component/component.ts';
import type { ConsumeResult } from '../../consumer/consumer.ts';
import { BackpressureError } from '../../consumer/errors.ts';
import { currentTenant, runAsTenant } from '../../tenancy/tenant-context.ts';
import { createBatchProcessor } from './batch-processor.ts';
import type { BatchProcessor, BatchProcessorOptions } from './batch-processor.ts';
import type { BatchSignal } from './batch-signal.ts';
import type { BatchConfig } from './factory.ts';

// One batcher per tenant, as the Collector's batch processor keeps one per
// distinct value of its `metadata_keys` (processor/batchprocessor, "multiShardBatcher"):
// a batch merges requests, and a batch of two tenants' data would be stored
// under one of them. The tenant is the request's (tenancy/tenant-context.ts);
// a batch is sent from a timer or another request's call, outside the async
// chain of the requests it holds, so each send runs as its batcher's tenant
// again. Without tenants there is one batcher, the one there always was.

/**
 * Tenants batched apart at once: the Collector's default metadata_cardinality_limit.
 * The config key is not used for it: BatchConfig keeps its shape (metadata_keys
 * must be empty, so the key limits nothing there).
 */
const MAX_TENANT_BATCHERS = 1000;

export function createTenantBatchProcessor<T>(
  settings: CreateSettings,
  config: BatchConfig,
  signal: BatchSignal<T>,
  send: (data: T) => Promise<ConsumeResult>,
  options: BatchProcessorOptions,
): BatchProcessor<T> {
  const forTenant = (tenant: string | undefined) =>
    createBatchProcessor(settings, config, signal, (data) => runAsTenant(tenant, () => send(data)), options);
  const defaultBatcher = forTenant(undefined);
  const tenants = new Map<string, BatchProcessor<T>>();
  let stopped = false;

  const consume = (data: T): Promise<ConsumeResult> => {
    const tenant = currentTenant();
    if (tenant === undefined || stopped) return defaultBatcher.consume(data);
    let batcher = tenants.get(tenant);
    if (batcher === undefined) {
      // The Collector's metadata_cardinality_limit: a request that would open one
      // more batcher than allowed is refused, and the sender may retry.
      if (tenants.size >= MAX_TENANT_BATCHERS) {
        return Promise.reject(
          new BackpressureError(`processor ${formatComponentId(settings.id)}: too many tenants batched at once (metadata_cardinality_limit ${MAX_TENANT_BATCHERS})`, 1000),
        );
      }
      batcher = forTenant(tenant);
      tenants.set(tenant, batcher);
    }
    return batcher.consume(data);
  };

  return {
    consume,
    lifecycle: {
      async start() {},
      async shutdown() {
        stopped = true;
        await Promise.all([defaultBatcher, ...tenants.values()].map((b) => b.lifecycle.shutdown()));
      },
    },
  };
}

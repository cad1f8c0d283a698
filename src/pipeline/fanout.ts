import type { ConsumeResult } from '../consumer/consumer.ts';
import { PermanentError } from '../consumer/errors.ts';
import type { PartialSuccess } from '../pdata/model.ts';

// One input, several consumers (a receiver feeding several pipelines, a pipeline
// feeding several exporters). Every consumer gets the data; the call resolves when
// all have, so an acknowledgement still means "every destination has it".
// Consumers may change data they own (attributes, resource processors), so all
// but the last get their own copy.

type Consume<T> = (data: T) => Promise<ConsumeResult>;

export function fanOut<T>(consumers: readonly Consume<T>[]): Consume<T> {
  if (consumers.length === 1) return consumers[0]!;
  return async (data: T) => {
    const results = await Promise.allSettled(
      consumers.map((consume, i) => consume(i === consumers.length - 1 ? data : structuredClone(data))),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      // A retryable failure wins over a permanent one: the sender should try again
      // rather than drop data that some destination could still take.
      const retryable = failures.find((f) => !(f.reason instanceof PermanentError));
      throw (retryable ?? failures[0]!).reason;
    }
    const values = results.map((r) => (r as PromiseFulfilledResult<ConsumeResult>).value);
    const combined = combine(values.map((v) => v.partialSuccess));
    // Refused items are named only by the branch that got the original objects
    // (the last), and only when no other branch refused anything.
    const last = values[values.length - 1];
    const othersRefused = values.slice(0, -1).some((v) => v.partialSuccess !== undefined && v.partialSuccess.rejected > 0n);
    return last?.refusedItems === undefined || othersRefused ? combined : { ...combined, refusedItems: last.refusedItems };
  };
}

/** The sender learns the largest refusal of any destination, with every reason. */
function combine(partials: (PartialSuccess | undefined)[]): ConsumeResult {
  const refused = partials.filter((p): p is PartialSuccess => p !== undefined);
  if (refused.length === 0) return {};
  return {
    partialSuccess: {
      rejected: refused.reduce((max, p) => (p.rejected > max ? p.rejected : max), 0n),
      errorMessage: [...new Set(refused.map((p) => p.errorMessage).filter((m) => m !== ''))].join('; '),
    },
  };
}

import { countDataPoints, countLogRecords, countSpans } from '../pdata/item-count.ts';
import type { LogsData, MetricsData, TracesData } from '../pdata/model.ts';
import type { TelemetryWriter } from './api.ts';
import type { EncodedSignal } from './encoded-signal.ts';
import type { GroupCommitter, TablePayload } from './group-commit.ts';
import { encodeLogs, LOG_COLUMNS } from './log-encoder.ts';
import { encodeMetrics, METRIC_POINT_COLUMNS } from './metric-encoder.ts';
import { ResourceScopeRegistry } from './resource-registry.ts';
import { encodeResource, encodeResourceScope, RESOURCE_SCOPE_COLUMNS } from './resource-scope.ts';
import { encodeSpans, SPAN_COLUMNS } from './span-encoder.ts';

// TelemetryWriter over the group committer. Encoding happens in the caller's
// call, before its rows join a group: the encoded bytes are all the writer keeps,
// so the caller may reuse its objects once the call returns, and the event loop
// time is spent per request rather than in one burst at flush time.

// Readiness (health) follows the inserts: failing since one failed for a reason
// other than its data, ready again once one succeeds. While failing, asking for
// health also starts a probe write, at most one a second, so readiness recovers
// when storage does even if senders, told to back off, send nothing and a load
// balancer, told we are not ready, sends us nothing. The probe is the
// resource_scopes row of an empty resource and scope: the row any sender without
// a resource writes, stored once whatever the count (ReplacingMergeTree, by id).

const PROBE_INTERVAL_MS = 1000;

function probePart(): TablePayload {
  const empty = encodeResourceScope(encodeResource({ attributes: [], droppedAttributesCount: 0 }, ''), { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, '');
  return { table: 'resource_scopes', columns: RESOURCE_SCOPE_COLUMNS, payload: Buffer.from(empty.row), rows: 1 };
}

export function createTelemetryWriter(committer: GroupCommitter): TelemetryWriter {
  const registry = new ResourceScopeRegistry();
  let probe: Promise<void> | undefined;
  let lastProbeMs = 0;

  /** Resolves when the signal rows and every resource_scopes row they refer to are in. */
  async function write(table: string, columns: readonly string[], encoded: EncodedSignal): Promise<void> {
    if (encoded.rows === 0) return;
    const claim = registry.claim(encoded.resourceScopes);
    const own = { table, columns, payload: encoded.payload, rows: encoded.rows };
    // One submission for both tables: backpressure admits or refuses them together.
    const submitted = committer.submitEach(claim.part === undefined ? [own] : [own, claim.part]);
    // Others wait for the resource_scopes part only, not for this write's own rows:
    // if those are refused as bad data, a write that merely shares the resource
    // must not be refused with them.
    if (claim.part !== undefined) claim.track(submitted.parts[1] ?? submitted.done);
    await Promise.all([submitted.done, ...claim.waitFor]);
  }

  return {
    // Under overload most of a refused write's cost would be its encoding (~4-5 µs
    // a span): the admission check runs first, on the item count.
    async writeTraces(data: TracesData) {
      committer.checkAdmission(countSpans(data));
      await write('spans', SPAN_COLUMNS, encodeSpans(data));
    },
    async writeLogs(data: LogsData) {
      committer.checkAdmission(countLogRecords(data));
      await write('logs', LOG_COLUMNS, encodeLogs(data));
    },
    async writeMetrics(data: MetricsData) {
      committer.checkAdmission(countDataPoints(data));
      await write('metric_points', METRIC_POINT_COLUMNS, encodeMetrics(data));
    },
    health() {
      const health = committer.health();
      if (!health.ok && probe === undefined && Date.now() - lastProbeMs >= PROBE_INTERVAL_MS) {
        lastProbeMs = Date.now();
        // Its outcome is read through committer.health(): nothing to report here.
        probe = committer
          .submit([probePart()])
          .catch(() => {})
          .finally(() => (probe = undefined));
      }
      return health;
    },
    close: () => committer.close(),
  };
}

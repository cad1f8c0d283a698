// Which attribute keys cannot explain a set of traces because nearly every trace
// has its own value: ids and timestamps (issue 11). For strings the count of
// distinct values decides (compare SQL: more than MAX_VALUES where the key was
// found). A number is compared by distribution, which a random id or a clock
// would pass as a "threshold", so numeric keys named as ids or times (the
// OpenTelemetry conventions' `*.id`, `*_id`, `*.time`, `*timestamp`, `*_unix_nano`)
// are left out by name.

export const MAX_VALUES = 50;

const ID_OR_TIME = /(?:^|[._])(?:id|ids|uuid|guid|time|timestamp|ts|unix_nano|unix_ms|start_time|end_time)$|(?:_id|Id|_time|Time|_ts|timestamp)$/;

export function looksLikeIdOrTime(key: string): boolean {
  return ID_OR_TIME.test(key);
}

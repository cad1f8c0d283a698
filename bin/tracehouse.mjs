#!/usr/bin/env -S node --max-semi-space-size=64
// The `tracehouse` command: runs src/main.ts through tsx so no build step is needed.
// --max-semi-space-size=64 (as in `npm start`): ingest allocates a decoded model per
// request; a larger young generation halved GC time under load (bench/ingest-bench.ts).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');

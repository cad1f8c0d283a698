import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveOptions } from '../../src/config/options.ts';
import { silentLogger } from '../../src/lib/log.ts';
import type { Logger } from '../../src/lib/log.ts';
import { startTracehouse } from '../../src/server.ts';
import type { Tracehouse } from '../../src/server.ts';
import { tempDir } from '../helpers/tracehouse.ts';

// Tracehouse in this process with a Collector YAML config or extra flags, on
// free loopback ports, its data in a temporary directory removed by stop().

export interface SecuredTracehouse {
  server: Tracehouse;
  dir: string;
  apiUrl: string;
  /** The port of the n-th listener of a protocol, in config order. */
  port(protocol: 'grpc' | 'http', index?: number): number;
  stop(): Promise<void>;
}

export async function startWith(args: { yaml?: (dir: string) => string; flags?: string[]; logger?: Logger; env?: Record<string, string> }): Promise<SecuredTracehouse> {
  const temp = await tempDir('tracehouse-security-');
  try {
    const config = [];
    if (args.yaml) {
      const file = path.join(temp.dir, 'config.yaml');
      await writeFile(file, args.yaml(temp.dir));
      config.push('--config', file);
    }
    const options = resolveOptions(
      [
        '--otlp-http-host', '127.0.0.1', '--otlp-http-port', '0',
        '--otlp-grpc-host', '127.0.0.1', '--otlp-grpc-port', '0',
        '--api-host', '127.0.0.1', '--api-port', '0',
        '--data-dir', path.join(temp.dir, 'data'),
        ...config,
        ...(args.flags ?? []),
      ],
      args.env ?? {},
    );
    const server = await startTracehouse(options, args.logger ?? silentLogger, args.env ?? {});
    const scheme = options.tls ? 'https' : 'http';
    return {
      server,
      dir: temp.dir,
      apiUrl: `${scheme}://127.0.0.1:${server.api.port}`,
      port(protocol, index = 0) {
        const endpoint = server.endpoints.filter((e) => e.protocol === protocol)[index];
        if (endpoint === undefined) throw new Error(`no ${protocol} listener #${index}`);
        return endpoint.port;
      },
      async stop() {
        try {
          await server.close();
        } finally {
          await temp.remove();
        }
      },
    };
  } catch (error) {
    await temp.remove();
    throw error;
  }
}

/** Service names the query API lists (data actually stored). */
export async function storedServices(apiUrl: string, init: RequestInit = {}): Promise<string[]> {
  const response = await fetch(`${apiUrl}/api/v1/services?start=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`, init);
  if (!response.ok) throw new Error(`services: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { services: { name: string }[] | string[] };
  return body.services.map((s) => (typeof s === 'string' ? s : s.name)).sort();
}

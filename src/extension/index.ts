import { z } from 'zod';
import type { ExtensionFactory } from '../component/component.ts';
import { componentConfig } from '../component/config-schema.ts';
import { basicAuthExtensionFactory } from './auth/basicauth.ts';
import { bearerTokenAuthExtensionFactory } from './auth/bearertokenauth.ts';

// Extensions a Collector config may name. Tracehouse's own query API already
// serves /healthz and /readyz, so `health_check` is accepted and does nothing; it
// keeps Collector configs loading unchanged. `file_storage` marks where a
// persistent sending queue lives (exporters name it in sending_queue.storage).
// `bearertokenauth` and `basicauth` (auth/) authenticate receivers' requests and
// exporters' sends (auth.authenticator).

const noop = { start: async () => {}, shutdown: async () => {} };

export interface FileStorageConfig {
  /** Relative to the Tracehouse data directory when not absolute; default "queue". */
  directory: string;
}

export const fileStorageExtensionFactory: ExtensionFactory<FileStorageConfig> = {
  type: 'file_storage',
  provides: ['storage'],
  configSchema: componentConfig(
    z.looseObject({ directory: z.string().default('queue') }).transform((c) => ({ directory: c.directory })),
  ),
  createExtension: () => noop,
};

export const healthCheckExtensionFactory: ExtensionFactory<unknown> = {
  type: 'health_check',
  configSchema: componentConfig(z.looseObject({})),
  createExtension: () => noop,
};

export const extensionFactories: ReadonlyMap<string, ExtensionFactory<unknown>> = new Map<string, ExtensionFactory<unknown>>([
  [fileStorageExtensionFactory.type, fileStorageExtensionFactory as ExtensionFactory<unknown>],
  [healthCheckExtensionFactory.type, healthCheckExtensionFactory],
  [bearerTokenAuthExtensionFactory.type, bearerTokenAuthExtensionFactory as ExtensionFactory<unknown>],
  [basicAuthExtensionFactory.type, basicAuthExtensionFactory as ExtensionFactory<unknown>],
]);

import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from './log.ts';

// A TLS server's key material as the Collector's configtls.ServerConfig holds
// it: certificate and key (file or PEM), an optional client CA (mutual TLS: a
// client without a certificate that CA signed is refused during the handshake),
// minimum/maximum version, and `reload_interval`, after which the files are
// read again so a renewed certificate is served without a restart.

export interface ServerTlsSettings {
  certFile: string | undefined;
  certPem: string | undefined;
  keyFile: string | undefined;
  keyPem: string | undefined;
  clientCaFile: string | undefined;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  maxVersion: 'TLSv1.2' | 'TLSv1.3' | undefined;
  /** 0: read once at start. */
  reloadIntervalMs: number;
}

export interface ServerTls {
  /** Options for https.createServer / http2.createSecureServer. */
  readonly options: SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean };
  /** Called with the new context options after each successful reload. */
  onReload(listener: (options: SecureContextOptions) => void): void;
  close(): void;
}

async function material(settings: ServerTlsSettings): Promise<SecureContextOptions> {
  const load = async (file: string | undefined, pem: string | undefined, what: string): Promise<Buffer | undefined> => {
    if (pem !== undefined) return Buffer.from(pem);
    if (file === undefined) return undefined;
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`cannot read tls.${what} ${file}`, { cause: error });
    }
  };
  const cert = await load(settings.certFile, settings.certPem, 'cert_file');
  const key = await load(settings.keyFile, settings.keyPem, 'key_file');
  const ca = await load(settings.clientCaFile, undefined, 'client_ca_file');
  return {
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(ca ? { ca } : {}),
    minVersion: settings.minVersion,
    ...(settings.maxVersion ? { maxVersion: settings.maxVersion } : {}),
  };
}

/** Reads the files (a missing one fails start-up naming it) and starts the reload timer. */
export async function loadServerTls(settings: ServerTlsSettings, logger: Logger): Promise<ServerTls> {
  const first = await material(settings);
  const mutual = settings.clientCaFile !== undefined;
  const listeners: ((options: SecureContextOptions) => void)[] = [];
  const timer =
    settings.reloadIntervalMs > 0
      ? setInterval(() => {
          material(settings).then(
            (next) => {
              // A certificate caught half-replaced (new key, old certificate) must not
              // reach the servers: grpc-js drops every connection on a bad context.
              try {
                createSecureContext(next);
              } catch (error) {
                logger.warn('TLS certificate reload: the files do not make a valid key pair yet; keeping the previous one', { error });
                return;
              }
              for (const listener of listeners) listener(next);
            },
            (error: unknown) => logger.warn('TLS certificate reload failed: keeping the previous one', { error }),
          );
        }, settings.reloadIntervalMs)
      : undefined;
  timer?.unref();
  return {
    options: { ...first, requestCert: mutual, rejectUnauthorized: mutual },
    onReload: (listener) => listeners.push(listener),
    close: () => clearInterval(timer),
  };
}

import { z } from 'zod';

/**
 * `auth: { authenticator: <extension id> }` on a receiver protocol or an exporter
 * (the Collector's configauth.Config); config/collector-config.ts checks the id
 * against service.extensions when the config loads.
 */
export const authSchema = z
  .strictObject({ authenticator: z.string().min(1) })
  .transform((c) => c.authenticator);

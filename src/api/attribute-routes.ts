import { Hono } from 'hono';
import type { Context } from 'hono';
import { ParameterError } from './errors.ts';
import { defined, optionalParam } from './handler-helpers.ts';
import type { ViewRoutesOptions } from './handler-helpers.ts';
import { parseAttributeScope, parseIntParam, parseTimeRange } from './params.ts';
import type { AttributeKeysResponse, AttributeValuesResponse } from './types.ts';

// Attribute autocomplete for the search forms: keys seen in a range, values seen for a key.

export function createAttributeRoutes({ reader, nowNs }: ViewRoutesOptions): Hono {
  const app = new Hono();

  const common = (c: Context, defaultLimit: number) => ({
    ...parseTimeRange((n) => c.req.query(n), nowNs()),
    ...defined('service', optionalParam(c, 'service', String)),
    ...defined('scope', optionalParam(c, 'scope', (t) => parseAttributeScope('scope', t))),
    ...defined('text', optionalParam(c, 'q', String)),
    limit: parseIntParam('limit', c.req.query('limit'), defaultLimit, 1, 1000),
  });

  app.get('/api/v1/attributes/keys', async (c) => {
    const keys = await reader.attributeKeys(common(c, 200), { signal: c.req.raw.signal });
    const body: AttributeKeysResponse = { keys };
    return c.json(body);
  });

  app.get('/api/v1/attributes/:key/values', async (c) => {
    const key = c.req.param('key');
    if (key.trim() === '') throw new ParameterError('key', 'expected an attribute key');
    const values = await reader.attributeValues({ ...common(c, 50), key }, { signal: c.req.raw.signal });
    const body: AttributeValuesResponse = { key, values };
    return c.json(body);
  });

  return app;
}

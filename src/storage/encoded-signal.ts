/** What a signal encoder produces from one write. */
export interface EncodedSignal {
  /** JSONCompactEachRow rows for the signal's table. */
  payload: Buffer;
  rows: number;
  /** resource_scopes rows the signal rows refer to, by id. */
  resourceScopes: Map<string, string>;
}

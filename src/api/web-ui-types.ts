// Response type of the web UI's own endpoint (src/api/web-ui.ts), shared with
// web/src/api/ by `import type`. Types only, like types.ts.

/** GET /api/v1/ui/setup: where this Tracehouse receives OTLP, for the "send data" page. */
export interface UiSetupResponse {
  /** The receivers actually listening (ports resolved), per protocol. */
  receivers: { protocol: 'http' | 'grpc'; host: string; port: number; authenticated?: boolean; tls?: boolean }[];
}

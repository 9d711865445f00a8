/** Bounds on JSON API request bodies (`evalops serve --max-body-bytes`, `--max-import-bytes`). */
export interface ApiBodyLimits {
  /** Largest body of an ordinary operation, in bytes after gzip is undone. */
  readonly maxBodyBytes: number;
  /** Largest body of a bulk operation (dataset import, calibration answers). */
  readonly maxImportBytes: number;
  /** Deepest nesting of arrays and objects in a body. */
  readonly maxJsonDepth: number;
  /** Most items in one array of a body (a dataset import takes up to 100,000 examples). */
  readonly maxJsonArrayLength: number;
}

export const DEFAULT_API_BODY_LIMITS: ApiBodyLimits = {
  maxBodyBytes: 1024 * 1024,
  maxImportBytes: 64 * 1024 * 1024,
  maxJsonDepth: 64,
  maxJsonArrayLength: 100_000,
};

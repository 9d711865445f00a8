import type { Operation, OperationCall, OperationResult } from './operation.js';

/**
 * Calls operations: in-process on a store (LocalApiCaller) or over HTTP on a server
 * (HttpApiCaller). The CLI holds one and does not care which.
 */
export interface ApiCaller {
  /** Where the calls go, for messages: the database location or the server URL. */
  readonly target: string;
  /** The project the caller is bound to, if any (a project API key's), used when no --project is given. */
  boundProject(): Promise<string | undefined>;
  call<O extends Operation>(operation: O, input: OperationCall<O>): Promise<OperationResult<O>>;
  close(): Promise<void>;
}

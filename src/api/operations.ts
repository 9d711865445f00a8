import type { Operation } from './operation.js';
import { getRun, listRunResults, listRuns } from './run-operations.js';
import { whoAmI } from './whoami-operation.js';

/**
 * Every operation of the JSON API, in the order the OpenAPI document lists them. The server mounts
 * exactly these; a test checks each is described and guarded.
 */
export const OPERATIONS: readonly Operation[] = [whoAmI, listRuns, getRun, listRunResults] as unknown as readonly Operation[];

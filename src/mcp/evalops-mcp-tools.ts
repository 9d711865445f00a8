import type { ApiCaller } from '../api/api-caller.js';
import type { Operation } from '../api/operation.js';
import { OPERATIONS } from '../api/operations.js';
import type { McpTool } from './mcp-tool.js';
import { operationTool, WITHHELD_PERMISSIONS } from './operation-tools.js';

/**
 * Every tool of `evalops mcp`: one per API operation (save those withheld: key management), plus the
 * local tools given (runEval on the local database). New operations become tools without a line here.
 */
export function evalopsMcpTools(caller: ApiCaller, options: { defaultProject?: string; local?: readonly McpTool[]; operations?: readonly Operation[] } = {}): McpTool[] {
  const operations = (options.operations ?? OPERATIONS).filter((o) => !WITHHELD_PERMISSIONS.has(o.permission));
  return [...operations.map((o) => operationTool(o, caller, options.defaultProject === undefined ? {} : { defaultProject: options.defaultProject })), ...(options.local ?? [])];
}

import { z } from 'zod';
import type { ApiCaller } from '../api/api-caller.js';
import type { Operation } from '../api/operation.js';
import { PERMISSION_ROLES, type Permission } from '../auth/roles.js';
import { EvalOpsError } from '../core/errors.js';
import type { McpTool, ToolInputSchema } from './mcp-tool.js';

/**
 * Permissions never offered as tools: minting or revoking API keys through an agent would put a
 * key, shown once, into a transcript, and let an agent widen its own access.
 */
export const WITHHELD_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['keys:manage']);

export interface OperationToolOptions {
  /** Used for the `project` argument when the call leaves it out (the key's project or --project). */
  readonly defaultProject?: string;
}

/**
 * The MCP tool of one API operation, derived from its definition — not written twice. The tool is
 * named after the operationId; its arguments are the path parameters and the query fields side by
 * side, and the request body (when the operation takes one) under `body`, each with the API's own
 * schema (input side, as JSON Schema). A call is split back into path, query and body and goes
 * through the caller, so the checks are the API's: the same validation messages, the key's role
 * and project on every call, and another project's id answering as an unknown one.
 *
 * @example operationTool(listRuns, caller, { defaultProject: 'shop' }).call({ limit: 5 })
 */
export function operationTool(operation: Operation, caller: ApiCaller, options: OperationToolOptions = {}): McpTool {
  const paramKeys = Object.keys(operation.params.shape);
  const queryKeys = operation.query ? Object.keys(operation.query.shape) : [];
  const clash = paramKeys.find((k) => queryKeys.includes(k) || k === 'body') ?? queryKeys.find((k) => k === 'body');
  if (clash !== undefined) throw new EvalOpsError('internal', `operation ${operation.id}: argument "${clash}" is both a path and a query field (or named body); the MCP tool cannot flatten it`);
  const defaultProject = paramKeys.includes('project') ? options.defaultProject : undefined;
  const known = new Set([...paramKeys, ...queryKeys, ...(operation.body ? ['body'] : [])]);
  const role = PERMISSION_ROLES[operation.permission];
  const readOnly = operation.method === 'get' || operation.permission.endsWith(':read');
  return {
    name: operation.id,
    title: operation.summary,
    description: `${operation.summary}. Needs the ${operation.permission} permission (role ${role} or above).${defaultProject === undefined ? '' : ` project defaults to "${defaultProject}".`}${operation.body ? ' The request body goes under "body", as in the HTTP API (' + operation.method.toUpperCase() + ' /api/v1' + operation.path + ').' : ''}`,
    inputSchema: inputSchemaOf(operation, defaultProject),
    permission: operation.permission,
    readOnly,
    async call(args) {
      const unknown = Object.keys(args).find((k) => !known.has(k));
      if (unknown !== undefined) throw new EvalOpsError('usage', `unknown argument "${unknown}" for ${operation.id}; expected ${[...known].join(', ') || 'none'}`);
      const params: Record<string, unknown> = pick(args, paramKeys);
      if (defaultProject !== undefined && params['project'] === undefined) params['project'] = defaultProject;
      // Query fields travel as strings in the HTTP API (`?failures=true`); an agent's JSON booleans are accepted too.
      const query = Object.fromEntries(Object.entries(pick(args, queryKeys)).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v]));
      return caller.call(operation, { params, query, ...(operation.body && args['body'] !== undefined ? { body: args['body'] } : {}) } as never);
    },
  };
}

function pick(args: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
}

/** The JSON Schema of a tool's arguments, from the operation's zod schemas (their input side). */
function inputSchemaOf(operation: Operation, defaultProject: string | undefined): ToolInputSchema {
  const shape: Record<string, z.ZodType> = { ...operation.params.shape, ...(operation.query?.shape ?? {}) };
  if (operation.body) shape['body'] = operation.body;
  const json = z.toJSONSchema(z.object(shape), { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  const required = (json.required ?? []).filter((k) => !(k === 'project' && defaultProject !== undefined));
  return { type: 'object', properties: json.properties ?? {}, ...(required.length > 0 ? { required } : {}) };
}

import type { Permission } from '../auth/roles.js';

/** A JSON Schema object describing a tool's arguments (MCP requires `type: "object"` at the root). */
export interface ToolInputSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly [key: string]: unknown;
}

/**
 * One tool the MCP server offers: its name, what an agent reads about it, the JSON Schema of its
 * arguments, the permission it needs, and the call. Operation tools are derived from the API's
 * operation table (operation-tools.ts); a few local tools (running an eval on this machine) are
 * written by hand because they are not API operations.
 */
export interface McpTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: ToolInputSchema;
  readonly permission: Permission;
  /** True when the tool only reads: offered even with --read-only, announced as readOnlyHint. */
  readonly readOnly: boolean;
  /** Runs the tool; throws an EvalOpsError for a refusal or bad arguments (the server makes it a tool error). */
  call(args: Readonly<Record<string, unknown>>): Promise<unknown>;
}

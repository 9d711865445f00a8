import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Role } from '../auth/roles.js';
import { isEvalOpsError } from '../core/errors.js';
import type { McpTool } from './mcp-tool.js';
import { toolRefusal } from './tool-refusal.js';

export interface McpServerOptions {
  readonly version: string;
  /** Every tool there is; which of them are offered depends on the role and on readOnly. */
  readonly tools: readonly McpTool[];
  /** The key's role: tools it does not permit are not listed, and calling one is refused. */
  readonly role: Role;
  /** Only tools that read are offered (`evalops mcp --read-only`), whatever the role. */
  readonly readOnly: boolean;
  /** The key's project (or --project), told to the agent in the instructions. */
  readonly project?: string;
  /** Reports a tool's unexpected failure (stderr in the CLI); the agent gets a tool error either way. */
  readonly onError?: (tool: string, error: unknown) => void;
}

/**
 * The EvalOps MCP server: lists the tools the key may use and runs them. A refusal — a role too low,
 * another project, --read-only, a bad argument, a failing call — is a tool result with `isError` and
 * a message saying why, never a crash of the server; only an unknown tool name is a protocol error.
 */
export function createMcpServer(options: McpServerOptions): Server {
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  if (byName.size !== options.tools.length) throw new Error('two MCP tools share a name');
  const refusal = (tool: McpTool): string | undefined => toolRefusal(tool, options.role, options.readOnly);
  const offered = options.tools.filter((t) => refusal(t) === undefined);
  const server = new Server(
    { name: 'evalops', version: options.version },
    {
      capabilities: { tools: {} },
      instructions: `EvalOps: AI evaluation as release control. Tools are the operations of the EvalOps API${options.project ? ` on project "${options.project}"` : ''}, limited by the API key's role (${options.role})${options.readOnly ? ', read-only' : ''}. Start with listRuns, getRun, compareRuns and listRunResults (failures: true) to see what failed.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: offered.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema as { type: 'object'; properties?: Record<string, object> },
      annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: !t.readOnly && /^(delete|revoke|rollback)/i.test(t.name), openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `unknown tool "${request.params.name}"`);
    const refused = refusal(tool);
    if (refused !== undefined) return errorResult(`forbidden: ${refused}`);
    try {
      const result = await tool.call(request.params.arguments ?? {});
      return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }] };
    } catch (e) {
      if (!isEvalOpsError(e)) options.onError?.(tool.name, e);
      return errorResult(isEvalOpsError(e) ? `${e.code}: ${e.describe()}` : `internal: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return server;
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

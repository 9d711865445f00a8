import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ApiCaller } from '../../api/api-caller.js';
import { whoAmI } from '../../api/whoami-operation.js';
import type { Role } from '../../auth/roles.js';
import { HttpApiCaller } from '../../client/http-api-caller.js';
import { KeyedLocalApiCaller } from '../../client/keyed-local-api-caller.js';
import { loadEnv } from '../../config/env.js';
import { EvalOpsError, isEvalOpsError } from '../../core/errors.js';
import { createMcpServer } from '../../mcp/create-mcp-server.js';
import { evalopsMcpTools } from '../../mcp/evalops-mcp-tools.js';
import { runEvalTool } from '../../mcp/run-eval-tool.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { toolRefusal } from '../../mcp/tool-refusal.js';
import { openCliStore } from '../open-cli-store.js';
import { resolveProjectName } from '../resolve-project.js';

export interface McpFlags {
  readonly key?: string;
  readonly server?: string;
  readonly project?: string;
  readonly readOnly?: boolean;
  readonly listTools?: boolean;
}

/**
 * `evalops mcp`: an MCP server on stdio for coding agents. Its tools are the API's operations, called
 * with an API key (EVALOPS_API_KEY or --key) on a server (--server) or on the local database, and
 * limited by the key's role and project. Everything but the protocol goes to stderr.
 */
export async function mcpCommand(flags: McpFlags, version: string): Promise<void> {
  await withErrorHandling(false, async () => {
    const env = loadEnv();
    const key = flags.key ?? env.apiKey;
    if (key === undefined || key.trim() === '') throw new EvalOpsError('usage', 'evalops mcp needs an API key: set EVALOPS_API_KEY or pass --key (create one with `evalops keys create --role viewer --project NAME`)');
    const server = flags.server ?? env.serverUrl;
    if (server !== undefined && !/^https?:\/\/[^/]/.test(server)) throw new EvalOpsError('usage', `--server must be an http:// or https:// URL (got "${server}")`);
    const caller: ApiCaller = server !== undefined ? new HttpApiCaller({ url: server, apiKey: key }) : new KeyedLocalApiCaller(await openCliStore(), key);
    const who = await identify(caller);
    if (who.role === null) throw new EvalOpsError('forbidden', 'the key has no role');
    if (flags.project !== undefined && who.project !== null && flags.project !== who.project) throw new EvalOpsError('forbidden', `--project "${flags.project}": this key may only access project "${who.project}"`);
    const project = flags.project ?? who.project ?? undefined;
    const local = server === undefined ? [runEvalTool({ cliPath: process.argv[1] ?? 'evalops', ...(who.project === null ? {} : { keyProject: who.project }), projectOf: (config) => resolveProjectName({ config }) })] : [];
    const tools = evalopsMcpTools(caller, { ...(project === undefined ? {} : { defaultProject: project }), local });
    if (flags.listTools) {
      const offered = tools.filter((t) => toolRefusal(t, who.role!, flags.readOnly === true) === undefined);
      printJson({ role: who.role, project: project ?? null, target: caller.target, tools: offered.map((t) => ({ name: t.name, readOnly: t.readOnly, permission: t.permission, description: t.description })) });
      await caller.close();
      return;
    }
    const mcp = createMcpServer({
      version,
      tools,
      role: who.role,
      readOnly: flags.readOnly === true,
      ...(project === undefined ? {} : { project }),
      onError: (tool, e) => process.stderr.write(`evalops mcp: ${tool} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`),
    });
    const closed = new Promise<void>((resolve) => {
      mcp.onclose = resolve;
      // The stdio transport does not notice the client going away; the end of stdin is that signal.
      process.stdin.once('end', () => void mcp.close());
    });
    await mcp.connect(new StdioServerTransport());
    process.stderr.write(`evalops mcp: ${tools.length} tools on ${caller.target} for a ${who.role} key${project ? ` of project "${project}"` : ''}${flags.readOnly ? ', read-only' : ''}\n`);
    await closed;
    await caller.close();
  });
}

/** The key's project and role; a key that cannot even read is refused before serving. */
async function identify(caller: ApiCaller): Promise<{ project: string | null; role: Role | null }> {
  try {
    return await caller.call(whoAmI, { params: {} });
  } catch (e) {
    if (isEvalOpsError(e) && (e.code === 'forbidden' || e.code === 'usage')) throw new EvalOpsError('forbidden', `evalops mcp cannot use this key: ${e.message} (it needs a key of role viewer or above)`);
    throw e;
  }
}

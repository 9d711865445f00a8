import { PERMISSION_ROLES, permits, type Role } from '../auth/roles.js';
import type { McpTool } from './mcp-tool.js';

/**
 * Why a key of `role` may not call `tool` (undefined when it may): a role too low, or a server
 * started with --read-only and a tool that changes state. Tools refused are not listed either.
 * @example toolRefusal(decideGateTool, 'viewer', false) // 'decideGate needs the gate:decide permission (role engineer or above); this key has the viewer role'
 */
export function toolRefusal(tool: McpTool, role: Role, readOnly: boolean): string | undefined {
  if (!permits(role, tool.permission)) return `${tool.name} needs the ${tool.permission} permission (role ${PERMISSION_ROLES[tool.permission]} or above); this key has the ${role} role`;
  if (readOnly && !tool.readOnly) return `${tool.name} changes state; this MCP server was started with --read-only`;
  return undefined;
}

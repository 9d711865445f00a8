import { execFile } from 'node:child_process';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import type { McpTool } from './mcp-tool.js';

const RunEvalArgs = z.strictObject({
  config: z.string().min(1).describe('path of the evalops.yaml (or evalops.config.ts) to run, relative to where the MCP server runs'),
  repeat: z.number().int().min(1).max(100).optional().describe('trials per example'),
  concurrency: z.number().int().min(1).max(1024).optional().describe('calls in flight at once'),
  noCache: z.boolean().optional().describe('call the target even when a cached response exists'),
  labels: z.record(z.string().regex(/^[^=]+$/), z.string()).optional().describe('labels of the run, e.g. { "pr": "123" }'),
});

export interface RunEvalToolOptions {
  /** The CLI to run (`bin/evalops.js`, i.e. the running one: process.argv[1]). */
  readonly cliPath: string;
  /** The key's project, when it is bound to one: a config of another project is refused. */
  readonly keyProject?: string;
  /** The project named by a config (loads it; throws a config error naming the file). */
  readonly projectOf: (config: string) => Promise<string>;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * `runEval`: runs an evaluation on this machine, as `evalops run -c CONFIG --json` does, and answers
 * its JSON document (the run id and the scorecard). Not an API operation — a run executes the
 * target's code, which the server never loads from a request — so it exists only when `evalops mcp`
 * works on the local database, like `evalops run` itself. It runs in a child process: the stdio
 * transport owns this process's stdout.
 */
export function runEvalTool(options: RunEvalToolOptions): McpTool {
  return {
    name: 'runEval',
    title: 'Run an evaluation',
    description: 'Run the target of a config over its dataset, score every output and store the run (evalops run -c CONFIG). Answers the run id and the scorecard. Needs the runs:write permission (role engineer or above). Long runs may outlast the MCP client\'s tool timeout.',
    inputSchema: z.toJSONSchema(RunEvalArgs, { io: 'input' }) as McpTool['inputSchema'],
    permission: 'runs:write',
    readOnly: false,
    async call(raw) {
      const parsed = RunEvalArgs.safeParse(raw);
      if (!parsed.success) throw new EvalOpsError('usage', `runEval ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const args = parsed.data;
      const project = await options.projectOf(args.config);
      if (options.keyProject !== undefined && project !== options.keyProject) throw new EvalOpsError('forbidden', `this key may not access project "${project}" (the project of ${args.config})`);
      const argv = [options.cliPath, 'run', '-c', args.config, '--json'];
      if (args.repeat !== undefined) argv.push('--repeat', String(args.repeat));
      if (args.concurrency !== undefined) argv.push('--concurrency', String(args.concurrency));
      if (args.noCache) argv.push('--no-cache');
      for (const [k, v] of Object.entries(args.labels ?? {})) argv.push('--label', `${k}=${v}`);
      const { code, stdout, stderr } = await run(process.execPath, argv, options);
      const document = parseJson(stdout);
      if (code === 0) return document;
      const error = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).safeParse(document);
      const message = error.success ? error.data.error.message : stderr.trim().split('\n').slice(-3).join(' ') || `evalops run exited with ${code}`;
      throw new EvalOpsError(code === 2 ? 'usage' : 'target', `evalops run: ${message}`);
    },
  };
}

function run(file: string, argv: readonly string[], options: RunEvalToolOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, argv, { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd(), maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 4;
      resolve({ code, stdout, stderr });
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { output: text };
  }
}

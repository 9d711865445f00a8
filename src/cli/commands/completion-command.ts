import type { Command } from 'commander';
import { EvalOpsError } from '../../core/errors.js';
import { commandShape, COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion-script.js';
import { withErrorHandling } from '../handle-errors.js';

/** `evalops completion bash|zsh|fish`: the completion script of this program, on stdout. */
export async function completionCommand(shell: string, program: Command): Promise<void> {
  await withErrorHandling(false, async () => {
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) throw new EvalOpsError('usage', `completion is for ${COMPLETION_SHELLS.join(', ')} (got "${shell}")`);
    process.stdout.write(completionScript(commandShape(program), shell as CompletionShell));
  });
}

import type { Command } from 'commander';

/** A command as completion sees it: its words, options and subcommands. */
export interface CommandShape {
  readonly name: string;
  readonly description: string;
  readonly options: readonly { readonly short?: string; readonly long?: string; readonly description: string; readonly takesValue: boolean }[];
  readonly subcommands: readonly CommandShape[];
}

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** The shape of a commander program, from its registered commands and options (help included). */
export function commandShape(cmd: Command): CommandShape {
  return {
    name: cmd.name(),
    description: cmd.description(),
    options: [
      ...cmd.options.map((o) => ({ ...(o.short ? { short: o.short } : {}), ...(o.long ? { long: o.long } : {}), description: o.description, takesValue: o.required || o.optional })),
      { long: '--help', short: '-h', description: 'display help', takesValue: false },
    ],
    subcommands: cmd.commands.filter((c) => c.name() !== 'help').map(commandShape),
  };
}

/**
 * The completion script of a program for one shell: its commands, subcommands and options, as
 * registered (so a new command completes without editing this file).
 * @example completionScript(commandShape(program), 'bash')
 */
export function completionScript(root: CommandShape, shell: CompletionShell): string {
  return { bash: bashScript, zsh: zshScript, fish: fishScript }[shell](root);
}

interface Entry {
  readonly path: readonly string[];
  readonly shape: CommandShape;
}

function entries(root: CommandShape): Entry[] {
  const out: Entry[] = [];
  const walk = (shape: CommandShape, path: string[]): void => {
    out.push({ path, shape });
    for (const s of shape.subcommands) walk(s, [...path, s.name]);
  };
  walk(root, []);
  return out;
}

const words = (s: CommandShape): string[] => [...s.subcommands.map((c) => c.name), ...s.options.flatMap((o) => [o.long, o.short].filter((x): x is string => x !== undefined))];
const shellWord = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function bashFunctions(root: CommandShape): string {
  const fn = `_${root.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const all = entries(root);
  return [
    `${fn}_words() {`,
    '  case "$1" in',
    ...all.map((e) => `    ${shellWord(e.path.join(' '))}) echo ${shellWord(words(e.shape).join(' '))} ;;`),
    '  esac',
    '}',
    `${fn}_is_command() {`,
    '  case "$1" in',
    `    ${all.filter((e) => e.path.length > 0).map((e) => shellWord(e.path.join(' '))).join('|')}) return 0 ;;`,
    '  esac',
    '  return 1',
    '}',
    `${fn}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" path="" next i',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    next="${path:+$path }${COMP_WORDS[i]}"',
    `    if ${fn}_is_command "$next"; then path="$next"; fi`,
    '  done',
    `  COMPREPLY=( $(compgen -W "$(${fn}_words "$path")" -- "$cur") )`,
    '}',
    `complete -o default -F ${fn} ${root.name}`,
  ].join('\n');
}

function bashScript(root: CommandShape): string {
  return `# bash completion for ${root.name}: eval "$(${root.name} completion bash)" in ~/.bashrc\n${bashFunctions(root)}\n`;
}

function zshScript(root: CommandShape): string {
  // zsh runs the bash functions through its bashcompinit layer: one generator, both shells.
  return `#compdef ${root.name}\n# zsh completion for ${root.name}: eval "$(${root.name} completion zsh)" in ~/.zshrc\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n${bashFunctions(root)}\n`;
}

function fishScript(root: CommandShape): string {
  const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [`# fish completion for ${root.name}: ${root.name} completion fish > ~/.config/fish/completions/${root.name}.fish`, `complete -c ${root.name} -f`];
  for (const { path, shape } of entries(root)) {
    // On this command: every word of its path seen, and none of its subcommands yet.
    const seen = path.map((w) => `__fish_seen_subcommand_from ${w}`);
    const notDeeper = shape.subcommands.length ? [`not __fish_seen_subcommand_from ${shape.subcommands.map((s) => s.name).join(' ')}`] : [];
    const cond = [...(path.length === 0 ? ['__fish_use_subcommand'] : seen), ...notDeeper].join('; and ');
    for (const s of shape.subcommands) lines.push(`complete -c ${root.name} -n ${q(cond)} -a ${s.name} -d ${q(s.description.slice(0, 80))}`);
    const optCond = [...(path.length === 0 ? ['__fish_use_subcommand'] : seen)].join('; and ');
    for (const o of shape.options) {
      const flags = [o.long ? `-l ${o.long.replace(/^--/, '')}` : '', o.short ? `-s ${o.short.replace(/^-/, '')}` : ''].filter(Boolean).join(' ');
      lines.push(`complete -c ${root.name} -n ${q(optCond)} ${flags}${o.takesValue ? ' -r' : ''} -d ${q(o.description.slice(0, 80))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

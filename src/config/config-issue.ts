import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';

/** One problem in a config file: the field path, the line where known (YAML), and what is wrong. */
export interface ConfigIssue {
  /** Dot path of the field, e.g. `metrics.0.scorer.type`; empty for the whole document. */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
  /** `file:line path`, as printed. */
  readonly location: string;
}

/** Finds the line of a field path in the source; undefined when the source has no lines (TS/JS). */
export type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/**
 * Turns zod issues into config issues with clear messages: an unknown field is named (one issue per
 * field), a wrong discriminator lists the allowed values and the near miss ("did you mean").
 */
export function configIssuesFromZod(error: z.ZodError, raw: unknown, file: string, lineOf: LineOf | undefined, knownKeys: readonly string[] = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(configIssue(file, [...issue.path, key], `unknown field "${key}"${nearMiss(key, knownKeys)}`, lineOf));
      continue;
    }
    out.push(configIssue(file, issue.path, messageOf(issue, valueAt(raw, issue.path)), lineOf));
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

export function configIssue(file: string, path: readonly PropertyKey[], message: string, lineOf?: LineOf): ConfigIssue {
  const dotted = path.map(String).join('.');
  const line = lineOf?.(path);
  const where = line === undefined ? file : `${file}:${line}`;
  return { path: dotted, ...(line === undefined ? {} : { line }), message, location: dotted === '' ? where : `${where} ${dotted}` };
}

/**
 * The error for a config with issues. The first issue gives `location` and `message`, so that
 * `describe()` prints it as `evalops.yaml:12 metrics.0.scorer.type: …`; the others follow, one a line.
 * Every issue is in `details.issues`.
 */
export function configError(issues: readonly ConfigIssue[], cause?: unknown): EvalOpsError {
  const [first, ...rest] = issues;
  if (first === undefined) return new EvalOpsError('internal', 'configError called without issues');
  const message = [first.message, ...rest.map((i) => `${i.location}: ${i.message}`)].join('\n');
  return new EvalOpsError('config', message, {
    location: first.location,
    details: { issues },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** "; did you mean "x"?" when a known name is within two edits of the given one, else "". */
function nearMiss(value: string, known: readonly string[]): string {
  const candidates = known.filter((k) => k !== value);
  if (candidates.length === 0) return '';
  const near = closest(value, candidates);
  return distance(value, near) <= 2 ? `; did you mean ${JSON.stringify(near)}?` : '';
}

function messageOf(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code !== 'invalid_union') return issue.message;
  if ('options' in issue && Array.isArray(issue.options)) {
    // A discriminated union with no matching `type`: say which values are allowed, and the near miss.
    const options = issue.options.map(String);
    const allowed = `Invalid option: expected one of ${options.map((o) => JSON.stringify(o)).join('|')}`;
    if (typeof value !== 'string' || options.length === 0) return allowed;
    return `${allowed} (got ${JSON.stringify(value)}${nearMiss(value, options)})`;
  }
  // A plain union (e.g. an inline schema or a file path): say what each alternative wanted.
  const alternatives = [...new Set(issue.errors.map((branch) => branch[0]?.message).filter((m) => m !== undefined))];
  return alternatives.length === 0 ? issue.message : alternatives.join(', or ');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

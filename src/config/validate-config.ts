import { configError, configIssue, configIssuesFromZod, type LineOf } from './config-issue.js';
import { schemaKeys } from './schema-keys.js';
import { CONFIG_VERSION, EvalOpsConfigSchema, type EvalOpsConfig } from './config-schema.js';

/** Where a raw config came from, for messages: the file name as shown, and its lines when known. */
export interface ConfigSource {
  /** The file as the user knows it, e.g. `evalops.yaml` or `examples/support-bot/evalops.yaml`. */
  readonly file: string;
  readonly lineOf?: LineOf;
}

/**
 * Validates a raw config value (parsed YAML, or a TS/JS module's export). The version is checked
 * first, since a config of another version cannot be read field by field; then every issue is
 * collected into one EvalOpsError('config').
 * @example validateConfig(YAML.parse(text), { file: 'evalops.yaml' })
 */
export function validateConfig(raw: unknown, source: ConfigSource): EvalOpsConfig {
  const { file, lineOf } = source;
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
    const what = raw === null || raw === undefined ? 'empty' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
    throw configError([configIssue(file, [], `the config is ${what}; it must be a mapping that starts with \`version: ${CONFIG_VERSION}\``, lineOf)]);
  }
  const version = (raw as Record<string, unknown>)['version'];
  if (version === undefined) {
    throw configError([configIssue(file, [], `\`version: ${CONFIG_VERSION}\` is required (this EvalOps reads config version ${CONFIG_VERSION})`)]);
  }
  if (version !== CONFIG_VERSION) {
    const hint = String(version) === String(CONFIG_VERSION) ? ` (write the number ${CONFIG_VERSION}, not a string)` : '';
    const message = `unsupported config version ${JSON.stringify(version)}; this EvalOps reads version ${CONFIG_VERSION}${hint}`;
    throw configError([configIssue(file, ['version'], message, lineOf)]);
  }
  const parsed = EvalOpsConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw configError(configIssuesFromZod(parsed.error, raw, file, lineOf, schemaKeys(EvalOpsConfigSchema)), parsed.error);
}

import { scored } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import { loadJsonSchemaValidator } from './json-schema-validator.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `json-schema`: the output validates against `schema` (inline, or a .json/.yaml file relative to the
 * config's directory; compiled once, so it is not templated). A string output is parsed as JSON first
 * (plain JSON only, as in `is-json`); an output that is not JSON fails. The reason lists the first
 * validation errors.
 * @example { type: json-schema, schema: ./schemas/ticket.json }
 */
export const jsonSchemaScorer: ScorerFactory<'json-schema'> = async (config, deps) => {
  const validator = await loadJsonSchemaValidator(config.schema, deps.baseDir);
  const version = scorerVersion(config, validator.fileHash === undefined ? undefined : { file: validator.fileHash });
  return {
    type: 'json-schema',
    version,
    score(input) {
      let value = input.output;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value) as unknown;
        } catch {
          return scored(version, false, { reason: 'output is not JSON' });
        }
      }
      if (value === undefined) return scored(version, false, { reason: 'no output' });
      const problems = validator.check(value);
      return scored(version, problems === undefined, { reason: problems ?? 'output matches the schema' });
    },
  };
};

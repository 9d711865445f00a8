import { z } from 'zod';
import { ModelRefSchema } from '../provider-config.js';

/**
 * The config's `triage:` section: the models triage may call. Without `embeddingModel` triage clusters
 * offline (TF-IDF), so it costs nothing and works without a network; with it, the failing items are
 * embedded by that model (a provider under `providers:`) and clustered on the embeddings. `nameModel`
 * names the clusters (else their distinguishing terms). A request's own options win over both.
 * @example triage: { embeddingModel: openai:text-embedding-3-small, nameModel: openai:gpt-4.1-mini }
 */
export const TriageConfigSchema = z.strictObject({
  embeddingModel: ModelRefSchema.optional(),
  nameModel: ModelRefSchema.optional(),
});
export type TriageConfig = z.infer<typeof TriageConfigSchema>;

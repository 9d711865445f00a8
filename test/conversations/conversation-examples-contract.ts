import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetText } from '../../src/datasets/parse-dataset-text.js';
import type { Store } from '../../src/store/store.js';

export const CONVERSATIONS_YAML = `- id: refund-turns
  turns:
    - user: My kettle broke
    - user: The order is 1234
      expected: { tool: refund }
  slices: [intent:refund]
- id: refund-scenario
  scenario:
    persona: an impatient customer
    goal: get a refund for order 1234
    facts: { order: "1234" }
    maxTurns: 4
- id: single
  input: hello
`;

/**
 * Conversation examples stored and read back, one specification run on every dialect: turns and
 * scenarios survive the round trip exactly, single-turn examples keep no conversation, and the
 * version's content hash covers the conversation.
 */
export function describeConversationExamplesContract(dialect: string, open: () => Promise<Store>): void {
  describe(`conversation examples (${dialect})`, () => {
    let store: Store;
    let projectId: string;
    beforeAll(async () => {
      store = await open();
      projectId = (await store.projects.ensure('conv-examples')).id;
    });
    afterAll(async () => {
      await store?.close();
    });

    it('stores turns and scenarios and reads them back as imported', async () => {
      const parsed = parseDatasetText(CONVERSATIONS_YAML, 'yaml', 'cases.yaml');
      const { version } = await store.datasets.saveVersion(projectId, 'conv', parsed.hash, parsed.examples);
      const read = await store.datasets.examples(version.id);
      expect(read).toEqual(parsed.examples);
      expect(read[0]?.conversation?.kind).toBe('turns');
      expect(read[1]?.conversation).toEqual({
        kind: 'scenario',
        scenario: { persona: 'an impatient customer', goal: 'get a refund for order 1234', facts: { order: '1234' }, maxTurns: 4 },
      });
      expect(read[2]).not.toHaveProperty('conversation');
    });

    it('makes a new version when only a conversation changes', async () => {
      const before = parseDatasetText(CONVERSATIONS_YAML, 'yaml', 'cases.yaml');
      const after = parseDatasetText(CONVERSATIONS_YAML.replace('maxTurns: 4', 'maxTurns: 5'), 'yaml', 'cases.yaml');
      expect(after.hash).not.toBe(before.hash);
      const first = await store.datasets.saveVersion(projectId, 'conv2', before.hash, before.examples);
      const second = await store.datasets.saveVersion(projectId, 'conv2', after.hash, after.examples);
      expect(second.created).toBe(true);
      expect(second.version.id).not.toBe(first.version.id);
      const read = await store.datasets.examples(second.version.id, ['refund-scenario']);
      expect(read[0]?.conversation).toMatchObject({ scenario: { maxTurns: 5 } });
    });
  });
}

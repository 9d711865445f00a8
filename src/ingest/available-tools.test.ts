import { describe, expect, it } from 'vitest';
import { availableTools } from './available-tools.js';

describe('availableTools', () => {
  it('reads OpenInference llm.tools JSON schemas in order, OpenAI and flat forms', () => {
    expect(
      availableTools({
        'llm.tools.1.tool.json_schema': '{"name":"flat","parameters":{"type":"object"}}',
        'llm.tools.0.tool.json_schema': JSON.stringify({
          type: 'function',
          function: { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
        }),
        'llm.tools.2.tool.name': 'named_only',
        'llm.tools.2.tool.parameters': '{"type":"object"}',
        'llm.tools.3.tool.json_schema': 'not json',
      }),
    ).toEqual([
      { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
      { name: 'flat', parameters: { type: 'object' } },
      { name: 'named_only', parameters: { type: 'object' } },
    ]);
  });

  it('reads gen_ai.tool.definitions, and gives undefined when no tool is offered', () => {
    expect(availableTools({ 'gen_ai.tool.definitions': '[{"type":"function","name":"get_weather","description":"d"},{"type":"function"}]' })).toEqual([
      { name: 'get_weather', description: 'd' },
    ]);
    expect(availableTools({ 'gen_ai.tool.definitions': '{}' })).toBeUndefined();
    expect(availableTools({ 'llm.model_name': 'm' })).toBeUndefined();
  });
});

import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { examplesList } from './examples-list.js';
import type { RowError, RowParseResult } from './raw-row.js';

/**
 * A YAML dataset file: a top-level sequence of examples, or `examples:` holding one. Rows carry the
 * line where each item starts; syntax errors are reported with their line, and one YAML document only.
 * @example parseYaml('- input: hi\n- input: yo\n').rows.map((r) => r.line) // [1, 2]
 */
export function parseYaml(text: string): RowParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const errors: RowError[] = doc.errors.map((e) => ({
      line: lineCounter.linePos(e.pos[0]).line,
      message: `YAML syntax error: ${e.message}`,
    }));
    return { rows: [], errors };
  }
  const list = examplesList(doc.toJS({ maxAliasCount: 100 }));
  const top = doc.contents;
  const lineOf = (node: Node | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  if (!list.ok) return { rows: [], errors: [{ line: lineOf(top), message: list.message }] };
  const seq = isMap(top) ? top.get('examples', true) : top;
  const items = isSeq(seq) ? seq.items : [];
  return {
    rows: list.items.map((value, i) => ({ line: lineOf(items[i] as Node | undefined), value })),
    errors: [],
  };
}

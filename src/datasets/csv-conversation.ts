import type { RowError } from './raw-row.js';

/**
 * Conversation columns of a CSV dataset. A row is a scripted conversation through either
 * - a `turns` cell holding a JSON array, as in JSONL (`["hi", {"user": "order 7", "expected": "refund"}]`), or
 * - `turn.1`, `turn.2`, … columns, one user message each, with `turn.N.expected` beside them; the
 *   turns end at the first empty `turn.N` cell, and a later non-empty one is an error;
 * and a scenario through a `scenario` cell holding a JSON object, or `scenario.goal`, `scenario.persona`,
 * `scenario.maxTurns`, `scenario.opening`, `scenario.expected`, `scenario.facts` (a JSON object) and
 * `scenario.facts.<name>` columns. Rows of one file may mix kinds: a row whose conversation cells are
 * all empty is a single-turn row. Every error names the line, the column's number and its name.
 */

const TURN = /^turn\.(\d+)(\.expected)?$/;
const SCENARIO_FIELDS = new Set(['goal', 'persona', 'maxTurns', 'opening', 'expected', 'facts']);

/** Whether a header column belongs to a conversation (and so never to metadata). */
export function isConversationColumn(name: string): boolean {
  return name === 'turns' || name === 'scenario' || TURN.test(name) || name.startsWith('scenario.') || /^turn\./.test(name);
}

export interface CsvConversation {
  /** `turns` or `scenario` for the row, when any conversation cell is filled. */
  readonly fields: { turns?: unknown; scenario?: unknown };
  readonly errors: RowError[];
  /** Row field path → the column it came from, so later errors can name it (`turns.1.user` → column 4 "turn.2"). */
  readonly columns: ReadonlyMap<string, string>;
}

/** A header problem with conversation columns (an unknown `turn.x`, `scenario.foo`). */
export function checkConversationHeader(header: readonly string[], line: number): RowError[] {
  const errors: RowError[] = [];
  header.forEach((name, i) => {
    if (!isConversationColumn(name) || name === 'turns' || name === 'scenario') return;
    const where = columnLabel(i, name);
    if (name.startsWith('turn.')) {
      const m = TURN.exec(name);
      if (m === null || Number(m[1]) < 1) errors.push({ line, field: name, message: `${where}: a turn column is turn.N or turn.N.expected with N = 1, 2, …` });
      return;
    }
    const [field, ...rest] = name.slice('scenario.'.length).split('.');
    if (!SCENARIO_FIELDS.has(field ?? '') || (rest.length > 0 && field !== 'facts') || (field === 'facts' && rest.length > 1)) {
      errors.push({ line, field: name, message: `${where}: allowed scenario columns are scenario.goal, scenario.persona, scenario.maxTurns, scenario.opening, scenario.expected, scenario.facts and scenario.facts.<name>` });
    }
  });
  return errors;
}

/** The conversation of one row from its conversation cells (the header already checked). */
export function csvConversation(header: readonly string[], record: readonly string[], line: number, cellValue: (cell: string) => unknown): CsvConversation {
  const errors: RowError[] = [];
  const columns = new Map<string, string>();
  const turns: Array<{ user?: string; expected?: unknown }> = [];
  const turnColumns: Array<{ user?: number; expected?: number }> = [];
  const scenario: Record<string, unknown> = {};
  let whole: { turns?: unknown; scenario?: unknown } = {};
  header.forEach((name, i) => {
    const cell = record[i] as string;
    if (cell === '' || !isConversationColumn(name)) return;
    const where = columnLabel(i, name);
    if (name === 'turns' || name === 'scenario') {
      const value = cellValue(cell);
      const ok = name === 'turns' ? Array.isArray(value) : value !== null && typeof value === 'object' && !Array.isArray(value);
      if (!ok) errors.push({ line, field: name, message: `${where}: must hold a JSON ${name === 'turns' ? 'array of turns, e.g. ["hi", {"user": "order 7", "expected": "refund"}]' : 'object, e.g. {"goal": "get a refund", "maxTurns": 4}'}` });
      else whole = { ...whole, [name]: value };
      columns.set(name, where);
      return;
    }
    const turn = TURN.exec(name);
    if (turn) {
      const k = Number(turn[1]) - 1;
      turns[k] ??= {};
      turnColumns[k] ??= {};
      if (turn[2] === undefined) {
        (turns[k] as { user?: string }).user = cell;
        (turnColumns[k] as { user?: number }).user = i;
        columns.set(`turns.${k}.user`, where);
        columns.set(`turns.${k}`, where);
      } else {
        (turns[k] as { expected?: unknown }).expected = cellValue(cell);
        (turnColumns[k] as { expected?: number }).expected = i;
        columns.set(`turns.${k}.expected`, where);
      }
      return;
    }
    const path = name.slice('scenario.'.length).split('.');
    columns.set(`scenario.${path[0]}`, where);
    if (path[0] === 'maxTurns') {
      const n = Number(cell.trim());
      if (!Number.isInteger(n)) errors.push({ line, field: 'scenario.maxTurns', message: `${where}: maxTurns must be a whole number, got ${JSON.stringify(cell)}` });
      else scenario['maxTurns'] = n;
    } else if (path[0] === 'facts' && path.length === 2) {
      const facts = (scenario['facts'] ??= {}) as Record<string, unknown>;
      if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) errors.push({ line, field: name, message: `${where}: scenario.facts is not an object, so a fact column cannot add to it` });
      else Object.defineProperty(facts, path[1] as string, { value: cellValue(cell), enumerable: true, writable: true, configurable: true });
    } else if (path[0] === 'facts') {
      const value = cellValue(cell);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) errors.push({ line, field: name, message: `${where}: must hold a JSON object of facts, e.g. {"order": "1234"}` });
      else scenario['facts'] = { ...(value as Record<string, unknown>), ...((scenario['facts'] as Record<string, unknown> | undefined) ?? {}) };
    } else scenario[path[0] as string] = path[0] === 'expected' ? cellValue(cell) : cell;
  });

  const fields: { turns?: unknown; scenario?: unknown } = { ...whole };
  if (turns.length > 0) {
    if (whole.turns !== undefined) errors.push({ line, field: 'turns', message: `${columns.get('turns')}: give the turns in a "turns" cell or in turn.N columns, not both` });
    for (let k = 0; k < turns.length; k++) {
      if (turns[k]?.user === undefined) {
        const later = turnColumns.slice(k).find((c) => c !== undefined);
        const col = later?.user ?? later?.expected;
        const label = col === undefined ? `turn.${k + 1}` : columnLabel(col, header[col] as string);
        errors.push({ line, field: `turn.${k + 1}`, message: `${label}: turn ${k + 1} has no user message (turn.${k + 1} is empty) but a later turn column is filled` });
        break;
      }
    }
    fields.turns = turns;
  }
  if (Object.keys(scenario).length > 0) {
    if (whole.scenario !== undefined) errors.push({ line, field: 'scenario', message: `${columns.get('scenario')}: give the scenario in a "scenario" cell or in scenario.* columns, not both` });
    fields.scenario = scenario;
  }
  return { fields, errors, columns };
}

/** `column 4 "turn.2"`: 1-based, as a spreadsheet counts. */
export function columnLabel(index: number, name: string): string {
  return `column ${index + 1} "${name}"`;
}

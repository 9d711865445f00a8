import type { SpanIo } from './span.js';

/** The longest preview a list shows of a span's input or output. */
export const PREVIEW_CHARS = 160;

/**
 * A one-line preview of a span's input or output: plain text as is, chat messages by the one that
 * matters (the last user message of an input, the last message of an output), whitespace collapsed,
 * cut at `max` characters with an ellipsis. Undefined when there is nothing to show.
 * @example previewSpanIo([{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Refund?' }], 'input') // 'Refund?'
 */
export function previewSpanIo(io: SpanIo | undefined, side: 'input' | 'output', max: number = PREVIEW_CHARS): string | undefined {
  if (io === undefined) return undefined;
  let text: string;
  if (typeof io === 'string') text = io;
  else {
    const pick = side === 'input' ? ([...io].reverse().find((m) => m.role === 'user') ?? io.at(-1)) : io.at(-1);
    if (pick === undefined) return undefined;
    text = pick.content || (pick.toolCalls?.length ? `→ ${pick.toolCalls.map((c) => c.name).join(', ')}` : '');
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

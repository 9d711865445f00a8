/**
 * The text of what a user asked, for clustering: a string as it is; chat messages (an array, or an
 * object's `messages`) as their user messages' text (all messages' text when none says `role:
 * user`), content parts' `text` joined; anything else as JSON. Clipped to `limit` characters.
 * @example inputText([{ role: 'system', content: 'Be kind' }, { role: 'user', content: 'Refund?' }]) // 'Refund?'
 */
export function inputText(value: unknown, limit = 2000): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.slice(0, limit);
  const messages = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value['messages']) ? (value['messages'] as unknown[]) : undefined;
  if (messages) {
    const withText = messages.filter(isRecord).map((m) => ({ role: m['role'], text: contentText(m['content']) })).filter((m) => m.text !== '');
    const users = withText.filter((m) => m.role === 'user');
    const chosen = users.length ? users : withText;
    if (chosen.length) return chosen.map((m) => m.text).join('\n').slice(0, limit);
  }
  return JSON.stringify(value).slice(0, limit);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : isRecord(p) && typeof p['text'] === 'string' ? p['text'] : '')).filter(Boolean).join('\n');
  return '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

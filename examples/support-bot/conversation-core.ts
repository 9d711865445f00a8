/**
 * The support-bot in conversation: a deterministic multi-turn agent (no model, no network) for the
 * conversation demo (evalops.conversations.yaml). EvalOps calls the module export with the history,
 * `(messages, ctx)`, where messages are `{ role, content, toolCalls? }` (user and assistant turns, the
 * assistant's tool calls kept with their results); the agent answers the last user message.
 *
 * What it remembers is the defect the gate must catch: version 1 reads the whole history (the order
 * number given two turns ago, what the customer asked for, what it already did); version 2
 * (`memory: 'last-message'`) reads only the last user message, so it asks again for what it was told
 * and never finishes a request spread over several turns.
 *
 * Self-contained on purpose (no import from EvalOps): the review flow copies the example elsewhere.
 */

export interface ChatToolCall {
  readonly name: string;
  readonly arguments?: unknown;
  readonly result?: unknown;
  readonly error?: string;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  readonly toolCalls?: readonly ChatToolCall[];
}

export interface ConversationReply {
  readonly output: string;
  readonly toolCalls: ChatToolCall[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  readonly costUsd: number;
}

export interface ConversationOptions {
  /** `history`: every user message and earlier tool call counts (v1); `last-message`: only the last user message (v2). */
  readonly memory: 'history' | 'last-message';
}

type Intent = 'refund' | 'cancel' | 'status' | 'human' | 'thanks';

interface Order {
  readonly item: string;
  readonly status: 'processing' | 'shipped' | 'delivered';
  readonly totalUsd: number;
  readonly carrier: string;
}

/** The shop's orders. A1005's refund fails once at the payment provider and succeeds on retry. */
export const ORDERS: Readonly<Record<string, Order>> = {
  A1001: { item: 'kettle', status: 'delivered', totalUsd: 49.99, carrier: 'UPS' },
  A1002: { item: 'headphones', status: 'shipped', totalUsd: 19.5, carrier: 'DHL' },
  A1003: { item: 'blender', status: 'processing', totalUsd: 120, carrier: 'UPS' },
  A1004: { item: 'toaster', status: 'delivered', totalUsd: 35, carrier: 'FedEx' },
  A1005: { item: 'desk lamp', status: 'delivered', totalUsd: 60, carrier: 'DHL' },
  A1006: { item: 'coffee grinder', status: 'processing', totalUsd: 42, carrier: 'UPS' },
};
const FLAKY_REFUNDS = new Set(['A1005']);

const INPUT_USD_PER_TOKEN = 0.4 / 1_000_000;
const OUTPUT_USD_PER_TOKEN = 1.6 / 1_000_000;

/**
 * Answers the last user message of `messages`.
 * @example converse([{ role: 'user', content: 'Refund order A1001 please' }], { memory: 'history' }).output
 */
export function converse(messages: unknown, options: ConversationOptions): ConversationReply {
  const history = parseMessages(messages);
  const users = history.filter((m) => m.role === 'user').map((m) => m.content);
  const last = users[users.length - 1] ?? '';
  const read = options.memory === 'history' ? users : [last];
  const done = options.memory === 'history' ? completedActions(history) : new Set<string>();
  const tools: ChatToolCall[] = [];
  const output = reply(last, read, done, tools);
  const inputTokens = Math.ceil(history.reduce((n, m) => n + m.content.length, 0) / 4) + 120;
  const outputTokens = Math.ceil(output.length / 4);
  return { output, toolCalls: tools, usage: { inputTokens, outputTokens }, costUsd: round(inputTokens * INPUT_USD_PER_TOKEN + outputTokens * OUTPUT_USD_PER_TOKEN) };
}

function reply(last: string, read: readonly string[], done: ReadonlySet<string>, tools: ChatToolCall[]): string {
  const lastIntent = intentOf(last);
  if (lastIntent === 'human') return "I'm sorry this has been difficult. I'm transferring you to a human agent now; they will see this conversation.";
  const orderId = latest(read, orderIdIn);
  const intent = lastIntent === 'thanks' ? 'thanks' : latest(read, (t) => nonThanks(intentOf(t)));
  if (intent === 'thanks') return done.size > 0 ? "You're welcome! Is there anything else I can help with?" : 'Happy to help. What can I do for you?';
  if (intent === undefined) return orderId === undefined ? 'Hello! How can I help you today?' : `How can I help you with order ${orderId}?`;
  if (orderId === undefined) return `I can help with that. What is your order number?`;
  const order = lookup(orderId, tools);
  if (order === undefined) return `I couldn't find order ${orderId}. Please double-check it and send it again.`;
  if (intent === 'status') return `Order ${orderId} (${order.item}) is ${order.status}${order.status === 'processing' ? '' : ` with ${order.carrier}`}.`;
  if (intent === 'cancel') {
    if (done.has(`cancel:${orderId}`)) return `Order ${orderId} is already cancelled.`;
    if (order.status !== 'processing') return `Order ${orderId} (${order.item}) has already shipped, so it can't be cancelled; I can refund it under our refund policy instead.`;
    tools.push({ name: 'cancel_order', arguments: { orderId }, result: { cancelled: true } });
    return `Order ${orderId} (${order.item}) is cancelled; you will not be charged.`;
  }
  if (done.has(`refund:${orderId}`)) return `The refund for order ${orderId} was already issued; it reaches your card in 5-7 business days.`;
  if (order.status === 'processing') return `Order ${orderId} (${order.item}) hasn't shipped yet, so there is nothing to refund; I can cancel it instead if you like.`;
  refund(orderId, order, tools);
  return `I've issued a refund of $${order.totalUsd.toFixed(2)} for order ${orderId} (${order.item}) under our refund policy. It reaches your card in 5-7 business days.`;
}

/** `lookup_order`: the order, or a failed call ("order not found"). */
function lookup(orderId: string, tools: ChatToolCall[]): Order | undefined {
  const order = ORDERS[orderId];
  tools.push(order === undefined ? { name: 'lookup_order', arguments: { orderId }, error: `order ${orderId} not found` } : { name: 'lookup_order', arguments: { orderId }, result: { orderId, ...order } });
  return order;
}

/** `issue_refund`, retried once when the payment provider times out. */
function refund(orderId: string, order: Order, tools: ChatToolCall[]): void {
  const args = { orderId, amount: order.totalUsd };
  if (FLAKY_REFUNDS.has(orderId)) tools.push({ name: 'issue_refund', arguments: args, error: 'payment provider timeout' });
  tools.push({ name: 'issue_refund', arguments: args, result: { refunded: order.totalUsd } });
}

/** Actions already completed in this conversation, from the assistant's successful tool calls: `refund:A1001`. */
function completedActions(history: readonly ChatMessage[]): Set<string> {
  const out = new Set<string>();
  for (const m of history) {
    for (const call of m.toolCalls ?? []) {
      const orderId = (call.arguments as { orderId?: unknown } | undefined)?.orderId;
      if (call.error !== undefined || typeof orderId !== 'string') continue;
      if (call.name === 'issue_refund') out.add(`refund:${orderId}`);
      if (call.name === 'cancel_order') out.add(`cancel:${orderId}`);
    }
  }
  return out;
}

function intentOf(text: string): Intent | undefined {
  const t = text.toLowerCase();
  if (/\b(human|real person|someone real|an agent|a manager|supervisor)\b/.test(t)) return 'human';
  if (/\b(refund|money back|reimburse)/.test(t)) return 'refund';
  if (/\bcancel/.test(t)) return 'cancel';
  if (/\b(where is|status|track|arrive|shipped|delivery)\b/.test(t)) return 'status';
  if (/\b(thanks|thank you|that's all|bye)\b/.test(t)) return 'thanks';
  return undefined;
}

function nonThanks(intent: Intent | undefined): Intent | undefined {
  return intent === 'thanks' || intent === 'human' ? undefined : intent;
}

/** The last order number mentioned ("sorry, I meant A1004" replaces an earlier one). */
function orderIdIn(text: string): string | undefined {
  const all = [...text.matchAll(/\bA(\d{4})\b/gi)];
  const m = all[all.length - 1];
  return m === undefined ? undefined : `A${m[1]}`;
}

/** The value `pick` finds in the most recent message that has one. */
function latest<T>(texts: readonly string[], pick: (text: string) => T | undefined): T | undefined {
  for (let i = texts.length - 1; i >= 0; i--) {
    const v = pick(texts[i] ?? '');
    if (v !== undefined) return v;
  }
  return undefined;
}

function parseMessages(messages: unknown): ChatMessage[] {
  if (!Array.isArray(messages)) throw new TypeError('the conversation agent takes the messages array (a conversation example); got ' + typeof messages);
  return messages.map((m: unknown, i) => {
    const { role, content, toolCalls } = (m ?? {}) as Record<string, unknown>;
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') throw new TypeError(`messages[${i}].role must be system, user, assistant or tool`);
    if (typeof content !== 'string') throw new TypeError(`messages[${i}].content must be a string`);
    return { role, content, ...(Array.isArray(toolCalls) ? { toolCalls: toolCalls as ChatToolCall[] } : {}) };
  });
}

function round(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

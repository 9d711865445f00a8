/**
 * A deterministic customer-support agent for the EvalOps demo: no model, no network. It routes a
 * message by keywords to an intent, calls its two tools (`lookup_order`, `issue_refund`) against an
 * in-memory order table, and answers in English or Spanish citing the policy that applies. Token
 * usage and cost are computed from text length as a model's would be, so cost metrics have data.
 *
 * What a release changes is its release config (releases/2.0.0.json, releases/2.1.0.json): the system
 * prompt (its length is the prompt's token count), the model id the app reports, and
 * `data.regressSpanishRefunds`. `agent.ts` and `agent-v2.ts` answer with the bundled config of their
 * release; the production app (canary-traffic.ts) gets each customer's config from the resolver.
 */


export type Lang = 'en' | 'es';
export type Intent = 'refund' | 'order_status' | 'cancel' | 'shipping' | 'account' | 'out_of_policy' | 'other';

export interface SupportInput {
  readonly message: string;
  readonly lang: Lang;
  readonly customerId?: string;
}

export interface ToolCall {
  readonly name: 'lookup_order' | 'issue_refund';
  readonly arguments: Readonly<Record<string, unknown>>;
}

export interface AgentReply {
  readonly output: string;
  readonly toolCalls: ToolCall[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  readonly costUsd: number;
}

/** The context EvalOps passes to a module target; this agent does not need it. */
export interface AnswerContext {
  readonly exampleId?: string;
  readonly signal?: AbortSignal;
}

export interface AgentOptions {
  /** The v2 defect: Spanish refunds are only looked up, never issued, and cite no policy. */
  readonly regressSpanishRefunds: boolean;
  /** The system prompt sent with every message; its length counts as input tokens. */
  readonly systemPrompt?: string;
}

/** The parts of a release config (src/core/release-config.ts) this agent reads. */
export interface SupportReleaseConfig {
  readonly prompts?: Readonly<Record<string, { readonly template: string }>>;
  readonly model?: { readonly id: string };
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * The agent's options from a release config: its system prompt (rendered for the input's language)
 * and `data.regressSpanishRefunds`.
 * @example optionsFromConfig(JSON.parse(readFileSync('releases/2.1.0.json', 'utf8')), { message: 'hola', lang: 'es' })
 */
export function optionsFromConfig(config: SupportReleaseConfig | null, input: unknown): AgentOptions {
  const template = config?.prompts?.['system']?.template;
  return {
    regressSpanishRefunds: config?.data?.['regressSpanishRefunds'] === true,
    ...(template === undefined ? {} : { systemPrompt: renderInput(template, input) }),
  };
}

type OrderStatus = 'processing' | 'shipped' | 'delivered';
interface Order {
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly totalUsd: number;
  readonly carrier: string;
}

const ORDERS: Readonly<Record<string, Order>> = {
  A1001: { customerId: 'C-1001', status: 'delivered', totalUsd: 49.99, carrier: 'UPS' },
  A1002: { customerId: 'C-1001', status: 'shipped', totalUsd: 19.5, carrier: 'DHL' },
  A1003: { customerId: 'C-1002', status: 'processing', totalUsd: 120, carrier: 'UPS' },
  A1004: { customerId: 'C-1003', status: 'delivered', totalUsd: 35, carrier: 'FedEx' },
  A1005: { customerId: 'C-1004', status: 'shipped', totalUsd: 75.25, carrier: 'DHL' },
  A1006: { customerId: 'C-1005', status: 'processing', totalUsd: 12, carrier: 'UPS' },
  A1007: { customerId: 'C-1006', status: 'processing', totalUsd: 64.9, carrier: 'FedEx' },
};

/** Price per token, as for a small hosted model. */
const INPUT_USD_PER_TOKEN = 0.4 / 1_000_000;
const OUTPUT_USD_PER_TOKEN = 1.6 / 1_000_000;
/** Tokens of the system prompt when no release config gives one. */
const SYSTEM_PROMPT_TOKENS = 150;

/** Checks the input shape (it comes from a dataset file) and answers. */
export function respond(input: unknown, options: AgentOptions): AgentReply {
  const request = parseInput(input);
  const tools: ToolCall[] = [];
  const output = reply(request, tools, options);
  return withUsage(request, output, tools, options.systemPrompt);
}

function parseInput(input: unknown): SupportInput {
  if (input === null || typeof input !== 'object') throw new TypeError('input must be an object { message, lang }');
  const { message, lang, customerId } = input as Record<string, unknown>;
  if (typeof message !== 'string' || message.trim() === '') throw new TypeError('input.message must be a non-empty string');
  if (lang !== 'en' && lang !== 'es') throw new TypeError('input.lang must be "en" or "es"');
  if (customerId !== undefined && typeof customerId !== 'string') throw new TypeError('input.customerId must be a string');
  return customerId === undefined ? { message, lang } : { message, lang, customerId };
}

/** Lower case without accents, so "Cancelación" matches "cancel". */
function normalise(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function classify(request: SupportInput): Intent {
  const text = normalise(request.message);
  const ownId = request.customerId?.toLowerCase();
  const otherCustomer = [...text.matchAll(/\b(?:customer|cliente) (c-\d+)/g)].some((m) => m[1] !== ownId);
  const otherParty = otherCustomer || /another|other customer|someone else|neighbou?r|otro cliente|otra persona|otro usuario|vecin[oa]/.test(text);
  const personalData = /address|e-?mail|phone|card|personal|direccion|correo|telefono|tarjeta|datos/.test(text);
  if (otherParty && personalData) return 'out_of_policy';
  if (/refund|money back|reembols|devolver el dinero/.test(text)) return 'refund';
  if (/cancel|anul/.test(text)) return 'cancel';
  if (orderIdIn(request.message) !== undefined) return 'order_status';
  if (/ship|deliver|envio|envian|entrega/.test(text)) return 'shipping';
  if (/password|account|log ?in|contrasena|cuenta|sesion/.test(text)) return 'account';
  return 'other';
}

function orderIdIn(message: string): string | undefined {
  const match = /\bA(\d{4})\b/i.exec(message);
  return match ? `A${match[1]}` : undefined;
}

/** "$19.50", "19,50 USD", "20 dollars", "20 dólares". */
function amountIn(message: string): number | undefined {
  const text = normalise(message);
  const match = /\$\s?(\d+(?:[.,]\d{1,2})?)|\b(\d+(?:[.,]\d{1,2})?)\s?(?:usd|dollars?|dolares?|\$)/.exec(text);
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? undefined : Number(digits.replace(',', '.'));
}

function reply(request: SupportInput, tools: ToolCall[], options: AgentOptions): string {
  const t = TEXT[request.lang];
  const intent = classify(request);
  switch (intent) {
    case 'out_of_policy':
      return t.refuse;
    case 'shipping':
      return t.shipping;
    case 'account':
      return t.account(normalise(request.message));
    case 'other':
      return t.other;
    case 'refund':
    case 'order_status':
    case 'cancel':
      return orderReply(intent, request, tools, options);
  }
}

function orderReply(intent: 'refund' | 'order_status' | 'cancel', request: SupportInput, tools: ToolCall[], options: AgentOptions): string {
  const t = TEXT[request.lang];
  const regressed = options.regressSpanishRefunds && intent === 'refund' && request.lang === 'es';
  const orderId = orderIdIn(request.message);
  if (orderId === undefined) {
    if (intent === 'refund') return regressed ? REGRESSED_ES.askOrderId : t.askOrderIdRefund;
    return intent === 'cancel' ? t.askOrderIdCancel : t.other;
  }
  tools.push({ name: 'lookup_order', arguments: { orderId } });
  const order = ORDERS[orderId];
  if (order === undefined) return t.notFound(orderId);
  if (intent === 'order_status') return t.status(orderId, order);
  if (intent === 'cancel') return order.status === 'processing' ? t.cancelled(orderId) : t.cannotCancel(orderId, order);
  if (regressed) return REGRESSED_ES.refundReceived(orderId);
  const amount = Math.min(amountIn(request.message) ?? order.totalUsd, order.totalUsd);
  tools.push({ name: 'issue_refund', arguments: { orderId, amount } });
  return t.refunded(orderId, amount);
}

function withUsage(request: SupportInput, output: string, toolCalls: ToolCall[], systemPrompt: string | undefined): AgentReply {
  const tokens = (text: string): number => Math.ceil(text.length / 4);
  const inputTokens = (systemPrompt === undefined ? SYSTEM_PROMPT_TOKENS : tokens(systemPrompt)) + tokens(request.message);
  const outputTokens = tokens(output) + toolCalls.reduce((sum, call) => sum + tokens(JSON.stringify(call)), 0);
  const costUsd = Math.round((inputTokens * INPUT_USD_PER_TOKEN + outputTokens * OUTPUT_USD_PER_TOKEN) * 1e8) / 1e8;
  return { output, toolCalls, usage: { inputTokens, outputTokens }, costUsd };
}

interface Texts {
  readonly refuse: string;
  readonly shipping: string;
  readonly account: (normalisedMessage: string) => string;
  readonly other: string;
  readonly askOrderIdRefund: string;
  readonly askOrderIdCancel: string;
  readonly notFound: (orderId: string) => string;
  readonly status: (orderId: string, order: Order) => string;
  readonly cancelled: (orderId: string) => string;
  readonly cannotCancel: (orderId: string, order: Order) => string;
  readonly refunded: (orderId: string, amount: number) => string;
}

const STATUS_ES: Readonly<Record<OrderStatus, string>> = { processing: 'en preparación', shipped: 'enviado', delivered: 'entregado' };
const money = (amount: number, lang: Lang): string => (lang === 'en' ? `$${amount.toFixed(2)}` : `${amount.toFixed(2).replace('.', ',')} USD`);

const TEXT: Readonly<Record<Lang, Texts>> = {
  en: {
    refuse:
      "I'm sorry, I can't share another customer's personal information. Our privacy policy protects every customer's data. I can help with your own orders instead.",
    shipping:
      'Under our shipping policy, standard delivery takes 3-5 business days and is free on orders over $50; express takes 1-2 days for $9.99. We ship to the US, Canada, Mexico and Spain.',
    account: (m) =>
      /delete|close/.test(m)
        ? 'You can delete your account under Settings > Account > Delete. As our privacy policy says, your data is erased within 30 days.'
        : /e-?mail/.test(m)
          ? 'You can change your e-mail under Settings > Account; we send a confirmation link to the new address, as our privacy policy requires.'
          : 'Use "Forgot password" on the sign-in page to get a reset link. Under our privacy policy we never change passwords over chat.',
    other: 'I can help with refunds, order status, cancellations, shipping and your account. What do you need?',
    askOrderIdRefund: 'I can help with a refund under our refund policy. Please share your order number (for example A1001).',
    askOrderIdCancel: 'I can help you cancel under our cancellation policy. Please share your order number (for example A1001).',
    notFound: (id) => `I couldn't find order ${id}. Please check the number; our shipping policy covers orders placed on this store only.`,
    status: (id, o) => `Order ${id} is ${o.status} (carrier: ${o.carrier}). Delivery times follow our shipping policy.`,
    cancelled: (id) => `Order ${id} has not shipped yet, so under our cancellation policy I've cancelled it; you won't be charged.`,
    cannotCancel: (id, o) =>
      `Order ${id} is already ${o.status}, so under our cancellation policy it can no longer be cancelled. You can ask for a refund once it arrives.`,
    refunded: (id, amount) =>
      `Per our refund policy (refunds within 30 days, to the original payment method), I've issued a refund of ${money(amount, 'en')} for order ${id}. Expect it in 5-10 business days.`,
  },
  es: {
    refuse:
      'Lo siento, no puedo compartir información personal de otro cliente. Nuestra política de privacidad protege los datos de cada cliente. Puedo ayudarte con tus propios pedidos.',
    shipping:
      'Según nuestra política de envío, la entrega estándar tarda 3-5 días hábiles y es gratis en pedidos de más de 50 USD; la exprés tarda 1-2 días por 9,99 USD. Enviamos a EE. UU., Canadá, México y España.',
    account: (m) =>
      /elimin|borr|cerrar/.test(m)
        ? 'Puedes eliminar tu cuenta en Ajustes > Cuenta > Eliminar. Como indica nuestra política de privacidad, tus datos se borran en 30 días.'
        : /correo|e-?mail/.test(m)
          ? 'Puedes cambiar tu correo en Ajustes > Cuenta; enviamos un enlace de confirmación a la nueva dirección, como exige nuestra política de privacidad.'
          : 'Usa "Olvidé mi contraseña" en la página de inicio de sesión para recibir un enlace. Por nuestra política de privacidad nunca cambiamos contraseñas por chat.',
    other: 'Puedo ayudarte con reembolsos, el estado de pedidos, cancelaciones, envíos y tu cuenta. ¿Qué necesitas?',
    askOrderIdRefund: 'Puedo ayudarte con un reembolso según nuestra política de reembolso. Indícame el número de pedido (por ejemplo A1001).',
    askOrderIdCancel: 'Puedo ayudarte a cancelar según nuestra política de cancelación. Indícame el número de pedido (por ejemplo A1001).',
    notFound: (id) => `No encuentro el pedido ${id}. Revisa el número; nuestra política de envío cubre solo los pedidos de esta tienda.`,
    status: (id, o) => `El pedido ${id} está ${STATUS_ES[o.status]} (transportista: ${o.carrier}). Los plazos siguen nuestra política de envío.`,
    cancelled: (id) => `El pedido ${id} aún no se ha enviado, así que según nuestra política de cancelación lo he cancelado; no se te cobrará.`,
    cannotCancel: (id, o) =>
      `El pedido ${id} ya está ${STATUS_ES[o.status]}, así que según nuestra política de cancelación ya no se puede cancelar. Puedes pedir un reembolso cuando llegue.`,
    refunded: (id, amount) =>
      `Según nuestra política de reembolso (reembolsos en 30 días, al método de pago original), he emitido un reembolso de ${money(amount, 'es')} del pedido ${id}. Llegará en 5-10 días hábiles.`,
  },
};

/** What v2 says to Spanish refund requests: no policy, no refund issued. */
const REGRESSED_ES = {
  askOrderId: 'Indícame el número de pedido para revisar tu solicitud de reembolso.',
  refundReceived: (id: string) => `He recibido tu solicitud de reembolso del pedido ${id}. Un agente la revisará pronto.`,
};

/**
 * `{{input.x}}` placeholders of a release's prompt filled from the input — the few lines the agent
 * needs, kept here so the agent stays self-contained when copied out of the repository (an app using
 * the package would call its `renderReleasePrompt`).
 */
function renderInput(template: string, input: unknown): string {
  return template.replace(/\{\{\s*input\.([\w-]+)\s*\}\}/g, (_, key: string) => {
    const value = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
    return value === undefined || value === null ? '' : String(value);
  });
}

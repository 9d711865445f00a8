/**
 * A planted dataset of failing items with known failure modes, for the triage test (ARI against the
 * planted modes) and the triage bench (10,000 items). Seeded: the same seed gives the same items.
 * Each mode has several phrasings; words shared by every mode (customer, order, please …) and random
 * ids make the texts overlap the way real support-bot failures do.
 */

const MODES = [
  {
    mode: 'missing-policy',
    slices: ['intent:refund'],
    metrics: ['cites_policy'],
    inputs: ['I want a refund for order {n}, it arrived broken', 'Can I get my money back for order {n}?', 'refund please, order {n} never worked', 'How do I return order {n} and get refunded'],
    outputs: ['Sure, I have started your refund for order {n}.', 'No problem, the refund for {n} is on its way.', 'I can refund order {n} for you right away.'],
    reasons: ['output does not contain "refund policy"', 'the answer does not cite the refund policy section', 'missing citation of refund policy'],
  },
  {
    mode: 'wrong-tool',
    slices: ['intent:order-status'],
    metrics: ['right_tool'],
    inputs: ['Where is my package {n}?', 'Track order {n} for me', 'has order {n} shipped yet', 'What is the delivery status of {n}'],
    outputs: ['Let me search our help articles about shipping.', 'Here is an article on delivery times.', 'Our knowledge base says shipping takes 3-5 days.'],
    reasons: ['tool lookup_order was not called (called search_kb)', 'expected tool call lookup_order, got search_kb', 'lookup_order not among the tool calls'],
  },
  {
    mode: 'timeout',
    slices: ['channel:email'],
    metrics: ['answered'],
    inputs: ['Long email about account {n} with several attachments and a complaint', 'Forwarded thread regarding invoice {n} and previous tickets', 'Email: billing history for account {n} since last year'],
    outputs: [''],
    reasons: ['target error: timed out after 30000 ms', 'target timeout: no answer within 30 s deadline', 'request timed out (deadline exceeded) after 30000 ms'],
  },
  {
    mode: 'wrong-language',
    slices: ['lang:es'],
    metrics: ['language_match'],
    inputs: ['Hola, ¿dónde está mi pedido {n}?', 'Quiero cambiar la dirección de envío del pedido {n}', 'Necesito ayuda con mi cuenta {n} por favor', '¿Cuándo llega el pedido {n}?'],
    outputs: ['Hello! I can help you with order {n}.', 'Sure, I will help you with your account.', 'Thanks for reaching out about {n}.'],
    reasons: ['answer is in English but the customer wrote Spanish', 'language mismatch: expected es, answered en', 'reply language English does not match Spanish question'],
  },
  {
    mode: 'schema',
    slices: ['channel:api'],
    metrics: ['valid_ticket'],
    inputs: ['Create a ticket for order {n}', 'open support ticket: order {n} damaged', 'file a ticket about account {n}'],
    outputs: ['{"status": "open", "summary": "order {n}"}', '{"summary": "damaged item", "priority": "high"}', '{"status": "created"}'],
    reasons: ['output does not validate against schema: missing required property "ticket_id"', 'JSON schema violation at /ticket_id: required', 'schema check failed: ticket_id is required'],
  },
  {
    mode: 'unsupported-promise',
    slices: ['intent:complaint'],
    metrics: ['no_promises'],
    inputs: ['This is the third time order {n} is late, I am furious', 'Your service is terrible, order {n} is missing', 'I am very unhappy with order {n}'],
    outputs: ["I'm so sorry! I've applied a 50% discount to your next purchase.", 'As compensation you will get free shipping for a year.', 'I will give you a full voucher worth 100 dollars.'],
    reasons: ['judge: unsupported promise of compensation (discount, voucher)', 'judge: the agent offered compensation it may not grant', 'judge label poor: promised a discount without authority'],
  },
];

const FILLER = ['customer', 'order', 'please', 'help', 'thanks', 'account', 'today', 'support', 'team', 'asap'];

function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` failing items (TriageItem shape) and, for each, its planted mode. */
export function plantedFailures(count, seed = 1) {
  const random = mulberry32(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const fill = (text) => text.replace('{n}', String(10000 + Math.floor(random() * 90000)));
  const items = [];
  const modes = [];
  for (let i = 0; i < count; i++) {
    const m = MODES[i % MODES.length];
    const extra = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(FILLER)).join(' ');
    items.push({
      key: `ex-${String(i).padStart(5, '0')}#0`,
      exampleId: `ex-${String(i).padStart(5, '0')}`,
      input: `${fill(pick(m.inputs))} ${extra}`,
      output: fill(pick(m.outputs)),
      reason: pick(m.reasons),
      slices: [...m.slices, pick(['tier:free', 'tier:pro'])],
      failingMetrics: m.metrics,
    });
    modes.push(m.mode);
  }
  return { items, modes, modeCount: MODES.length };
}

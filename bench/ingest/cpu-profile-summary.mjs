/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) of the serve process and splits its time into the
 * stages of the ingest path. Each sample goes to the stage of the innermost frame that belongs to a
 * known file of ours or of a package (native and built-in frames such as JSON.stringify or a
 * better-sqlite3 statement, and Node's own modules such as node:buffer or a socket write, count for
 * that caller); samples with only Node's HTTP, stream and buffer frames are the HTTP server's. The
 * stages add up to the profile's whole duration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Stage rules, tried on each frame from the innermost outwards; the first match wins. */
const STAGES = [
  { stage: 'SQLite writer thread: statement execution and commit', test: (url) => /\/dist\/store\/sqlite\/sqlite-span-worker\.js$/.test(url) },
  { stage: 'SQLite writer: handing rows to the thread (postMessage)', test: (url) => /\/dist\/store\/sqlite\/sqlite-span-writer\.js$/.test(url) },
  { stage: 'SQLite: statement execution (native)', test: (url, fn) => /kysely\/.*dialect\/sqlite\/sqlite-driver/.test(url) && fn === 'executeQuery' },
  { stage: 'SQLite: statement preparation (native)', test: (url) => /better-sqlite3\//.test(url) },
  { stage: 'PostgreSQL client (pg: protocol, serialisation)', test: (url) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(url) || /kysely\/.*dialect\/postgres\//.test(url) },
  { stage: 'Kysely: insert building and SQL compilation', test: (url) => /node_modules\/kysely\//.test(url) },
  { stage: 'rows: JSON.stringify of the span document + row values', test: (url) => /\/dist\/store\/(span-repository|span-row)\.js$/.test(url) },
  { stage: 'write queue', test: (url) => /\/dist\/ingest\/span-write-queue\.js$/.test(url) },
  { stage: 'redaction', test: (url) => /\/dist\/ingest\/(redact|redaction-[a-z-]+)\.js$/.test(url) },
  { stage: 'protobuf decoding', test: (url) => /\/dist\/ingest\/(decode-otlp-[a-z]+|protobuf-reader|otlp-span)\.js$/.test(url) },
  {
    stage: 'mapping (OpenInference / GenAI → span)',
    test: (url) => /\/dist\/ingest\/(map-span|openinference-messages|genai-messages|read-attribute|span-kind|available-tools|chat-message|indexed-groups|otlp-span-problem)\.js$/.test(url),
  },
  { stage: 'OTLP response, auth, routing (our server code)', test: (url) => /\/dist\/(server|auth|ingest)\//.test(url) },
  { stage: 'HTTP: node:http, body streams, Hono', test: (url) => /node_modules\/(hono|@hono)\//.test(url) },
];

/** Node's own modules: a sample inside them goes to the nearest caller of ours or of a package. */
const NODE_INTERNAL = /^node:/;
const NODE_ONLY_STAGE = 'HTTP: node:http, body streams, Hono';

function stageOf(node, parents, byId) {
  const fn = node.callFrame.functionName;
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)') return 'idle (waiting: database, network)';
  if (fn === '(program)') return 'V8 / native, unattributed';
  let nodeInternal = false;
  for (let n = node; n !== undefined; n = byId.get(parents.get(n.id))) {
    const { url, functionName } = n.callFrame;
    if (!url) continue;
    if (NODE_INTERNAL.test(url)) {
      nodeInternal ||= /^node:(_http|http|net|stream|buffer|internal\/(http|streams|webstreams|deps\/undici|stream_base|net|url|abort|buffer))/.test(url);
      continue;
    }
    const rule = STAGES.find((r) => r.test(url, functionName));
    if (rule) return rule.stage;
  }
  // Only Node's own frames (socket reads, incoming requests, request body streams): the HTTP server.
  return nodeInternal ? NODE_ONLY_STAGE : 'other (start-up, timers, module loading)';
}

/** The newest `.cpuprofile` in `dir`. */
export function newestProfile(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return join(dir, files.at(-1));
}

/**
 * @returns {{ totalMs: number, stages: { stage: string, ms: number, share: number }[],
 *   topFunctions: { name: string, ms: number, share: number }[] }}
 */
export function summariseProfile(file, topN = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const stages = new Map();
  const functions = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    totalUs += us;
    const stage = stageOf(node, parents, byId);
    stages.set(stage, (stages.get(stage) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` (${url.replace(/^.*\/(node_modules|dist)\//, '$1/').replace(/^file:\/\//, '')}:${lineNumber + 1})` : '';
    const name = `${functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const rank = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs }));
  return {
    totalMs: totalUs / 1000,
    stages: rank(stages).map(({ name, ms, share }) => ({ stage: name, ms, share })),
    topFunctions: rank(functions).slice(0, topN),
  };
}

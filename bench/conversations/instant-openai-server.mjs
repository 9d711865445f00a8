/**
 * The conversations bench's stand-in for a large run: a bare `node:http` server, in a process of its
 * own, answering every chat completion at once with a canned OpenAI answer — the simulated user's
 * `{ message, done: false, goalMet: false }` for model `bench-user`, a short text otherwise. Unlike
 * test/support/fake-openai-server.ts it neither parses nor keeps request bodies, so 80,000 requests
 * cost it little CPU and no memory, and the measured CLI has the machine to itself.
 * Prints its base URL on stdout; `GET /count` answers the number of chat requests served.
 */
import { createServer } from 'node:http';

const user = JSON.stringify({ message: 'I still need my refund, order 7', done: false, goalMet: false });
const body = (content) =>
  JSON.stringify({
    id: 'chatcmpl-instant',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'bench',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });
const USER = body(user);
const TARGET = body('I have started your refund.');
let served = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(String(served));
    return;
  }
  let isUser = false;
  req.on('data', (chunk) => {
    if (!isUser && chunk.includes('"bench-user"')) isUser = true;
  });
  req.on('end', () => {
    served++;
    const text = isUser ? USER : TARGET;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}/v1\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

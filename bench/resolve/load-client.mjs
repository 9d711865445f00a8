/**
 * An autocannon-like HTTP/1.1 load generator on raw keep-alive sockets (no per-request objects), so
 * the client costs less CPU than the server it measures: each connection has one request in flight;
 * responses are framed by Content-Length. Two modes:
 * - closed loop (`closedLoop`): every connection sends its next request as soon as an answer arrives;
 * - open loop (`openLoop`): requests are due at a fixed rate; latency is measured from when a request
 *   was due, not when a connection was free (no coordinated omission).
 */
import net from 'node:net';

function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** One keep-alive connection: `send(buf)` resolves with the status when the whole answer is in. */
async function connection(port) {
  const socket = await connect(port);
  let buffer = Buffer.alloc(0);
  let pending;
  socket.on('data', (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.toString('latin1', 0, end);
      const m = /content-length: *(\d+)/i.exec(head);
      const length = m ? Number(m[1]) : 0;
      if (buffer.length < end + 4 + length) return;
      const status = Number(head.slice(9, 12));
      buffer = buffer.subarray(end + 4 + length);
      const p = pending;
      pending = undefined;
      p?.(status);
    }
  });
  return {
    send(request) {
      return new Promise((resolve) => {
        pending = resolve;
        socket.write(request);
      });
    },
    close: () => socket.destroy(),
  };
}

/** Requests for `paths` with the key, prebuilt. */
export function buildRequests(port, paths, key) {
  return paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${key}\r\nConnection: keep-alive\r\n\r\n`, 'latin1'));
}

/** As fast as `connections` connections go, for `ms`; → { done, errors, ms }. */
export async function closedLoop(port, requests, { connections = 32, ms = 5000 } = {}) {
  const conns = await Promise.all(Array.from({ length: connections }, () => connection(port)));
  let done = 0;
  let errors = 0;
  let i = 0;
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < end) {
        const status = await c.send(requests[i++ % requests.length]);
        if (status === 200) done++;
        else errors++;
      }
    }),
  );
  const elapsed = performance.now() - started;
  for (const c of conns) c.close();
  return { done, errors, ms: elapsed };
}

/** `rate` requests/s for `ms`, latency from each request's due time; → { latencies (ms), errors, sent, ms }. */
export async function openLoop(port, requests, { rate, connections = 64, ms = 5000 } = {}) {
  const conns = await Promise.all(Array.from({ length: connections }, () => connection(port)));
  const free = [...conns];
  const due = [];
  const latencies = [];
  let errors = 0;
  let sent = 0;
  let i = 0;
  const started = performance.now();
  const interval = 1000 / rate;
  let next = started;
  const pump = () => {
    while (free.length > 0 && due.length > 0) {
      const c = free.pop();
      const at = due.shift();
      sent++;
      c.send(requests[i++ % requests.length]).then((status) => {
        latencies.push(performance.now() - at);
        if (status !== 200) errors++;
        free.push(c);
        pump();
      });
    }
  };
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next <= now && next < started + ms) {
        due.push(next);
        next += interval;
      }
      pump();
      if (next >= started + ms) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
  while (latencies.length < sent + due.length && performance.now() < started + ms + 10_000) {
    pump();
    await new Promise((r) => setTimeout(r, 5));
  }
  for (const c of conns) c.close();
  return { latencies, errors, sent, backlog: due.length, ms: performance.now() - started };
}

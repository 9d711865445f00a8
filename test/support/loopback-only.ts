/**
 * Preload for the stack fixture apps (`node --import tsx --import ./test/support/loopback-only.ts app.ts`):
 * refuses every TCP connection to a host other than loopback, and says so on stderr with the
 * marker `loopback-only: blocked`, so a test can fail on a package that tries to reach the network
 * (a tracing exporter to a vendor, a tokenizer download, a telemetry ping) even when the package
 * swallows the error. Unix sockets and loopback connections pass.
 */
import net from 'node:net';

export const BLOCKED_MARKER = 'loopback-only: blocked';

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost|::ffff:127(\.\d{1,3}){3})$/i;

interface Destination {
  readonly host: string | undefined;
  readonly port: unknown;
  readonly path: string | undefined;
}

/** Where a `Socket.prototype.connect` call goes, for each of its call forms (options, port/host, path, Node's normalised array). */
function destinationOf(args: readonly unknown[]): Destination {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { host?: unknown; port?: unknown; path?: unknown };
    return { host: typeof options.host === 'string' ? options.host : undefined, port: options.port, path: typeof options.path === 'string' ? options.path : undefined };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: undefined, port: undefined, path: first };
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first, path: undefined };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const to = destinationOf(args);
  if (to.path === undefined && !LOOPBACK.test(to.host ?? 'localhost')) {
    const message = `${BLOCKED_MARKER} a connection to ${to.host}:${String(to.port)}`;
    process.stderr.write(`${message}\n`);
    // Fails like a refused connection, asynchronously, as callers expect of a socket.
    process.nextTick(() => this.destroy(Object.assign(new Error(message), { code: 'ECONNREFUSED' })));
    return this;
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

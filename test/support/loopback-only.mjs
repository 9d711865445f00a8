/**
 * Preload for the stack fixture apps (`NODE_OPTIONS=--import=/abs/path/loopback-only.mjs`, so the
 * processes an app starts, such as an MCP server, are guarded too; plain JavaScript, so it loads
 * before any TypeScript loader):
 * refuses every TCP connection to a host other than loopback, and says so on stderr with the
 * marker `loopback-only: blocked`, so a test can fail on a package that tries to reach the network
 * (a tracing exporter to a vendor, a tokenizer download, a telemetry ping) even when the package
 * swallows the error. Unix sockets and loopback connections pass.
 */
import net from 'node:net';

export const BLOCKED_MARKER = 'loopback-only: blocked';

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost|::ffff:127(\.\d{1,3}){3})$/i;

/**
 * Where a `Socket.prototype.connect` call goes, for each of its call forms (options, port/host, path,
 * Node's normalised array).
 * @param {unknown[]} args
 * @returns {{ host: string | undefined, port: unknown, path: string | undefined }}
 */
function destinationOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    const options = first;
    return { host: typeof options.host === 'string' ? options.host : undefined, port: options.port, path: typeof options.path === 'string' ? options.path : undefined };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: undefined, port: undefined, path: first };
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first, path: undefined };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const to = destinationOf(args);
  if (to.path === undefined && !LOOPBACK.test(to.host ?? 'localhost')) {
    const message = `${BLOCKED_MARKER} a connection to ${to.host}:${String(to.port)}`;
    process.stderr.write(`${message}\n`);
    // Fails like a refused connection, asynchronously, as callers expect of a socket.
    process.nextTick(() => this.destroy(Object.assign(new Error(message), { code: 'ECONNREFUSED' })));
    return this;
  }
  return connect.apply(this, args);
};

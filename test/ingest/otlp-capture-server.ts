import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OTLP/HTTP request exactly as it arrived: raw bytes (still gzipped when it was) and headers. */
export interface CapturedRequest {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly body: Buffer;
}

export interface CaptureServer {
  /** `http://127.0.0.1:PORT/v1/traces` */
  readonly tracesUrl: string;
  readonly requests: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * A real node:http server on 127.0.0.1 (port 0) that keeps the raw body of every request and answers
 * an empty OTLP success in the request's encoding, so real exporters finish normally.
 */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'];
      requests.push({
        path: req.url ?? '',
        contentType,
        contentEncoding: req.headers['content-encoding'],
        body: Buffer.concat(chunks),
      });
      const json = contentType?.startsWith('application/json') ?? false;
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

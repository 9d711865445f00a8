/**
 * Prometheus metrics of the server, kept in memory per process and rendered in the text exposition
 * format at /metrics: requests by route and status, a request-latency histogram, and gauges that other
 * parts (the ingest queue) register.
 */
const BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly counters = new Map<string, { help: string; value: number }>();
  private readonly gauges = new Map<string, { help: string; read: () => number }>();

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const key = `route="${escape(route)}",method="${method}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const hkey = `route="${escape(route)}",method="${method}"`;
    const h = this.latency.get(hkey) ?? { counts: BUCKETS_S.map(() => 0), sum: 0, count: 0 };
    BUCKETS_S.forEach((b, i) => {
      if (seconds <= b) h.counts[i] = (h.counts[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count += 1;
    this.latency.set(hkey, h);
  }

  /** A monotonically increasing counter, e.g. `evalops_spans_accepted_total`. */
  increment(name: string, help: string, by = 1): void {
    const c = this.counters.get(name) ?? { help, value: 0 };
    c.value += by;
    this.counters.set(name, c);
  }

  /** A gauge read at scrape time, e.g. the ingest queue depth. */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.set(name, { help, read });
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP evalops_http_requests_total HTTP requests by route, method and status.', '# TYPE evalops_http_requests_total counter');
    for (const [labels, v] of this.requests) out.push(`evalops_http_requests_total{${labels}} ${v}`);
    out.push('# HELP evalops_http_request_duration_seconds HTTP request latency.', '# TYPE evalops_http_request_duration_seconds histogram');
    for (const [labels, h] of this.latency) {
      BUCKETS_S.forEach((b, i) => out.push(`evalops_http_request_duration_seconds_bucket{${labels},le="${b}"} ${h.counts[i]}`));
      out.push(`evalops_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      out.push(`evalops_http_request_duration_seconds_sum{${labels}} ${h.sum}`, `evalops_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    for (const [name, c] of this.counters) out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`, `${name} ${c.value}`);
    for (const [name, g] of this.gauges) out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.read()}`);
    return `${out.join('\n')}\n`;
  }
}

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

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

/** One route × method: its histogram and its request counters by status, found with one map lookup. */
interface RouteSeries {
  readonly histogram: Histogram;
  readonly labels: string;
  readonly byStatus: Map<number, { value: number }>;
}

export class ServerMetrics {
  private readonly requests = new Map<string, { value: number }>();
  private readonly latency = new Map<string, Histogram>();
  private readonly series = new Map<string, RouteSeries>();
  private readonly counters = new Map<string, { help: string; value: number }>();
  private readonly gauges = new Map<string, { help: string; read: () => number }>();

  /** Counts a request and its latency. Cheap on the hot path: no string is built once a series exists. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const id = `${route} ${method}`;
    let series = this.series.get(id);
    if (series === undefined) {
      const labels = `route="${escape(route)}",method="${method}"`;
      const histogram = this.latency.get(labels) ?? { counts: BUCKETS_S.map(() => 0), sum: 0, count: 0 };
      this.latency.set(labels, histogram);
      series = { histogram, labels, byStatus: new Map() };
      this.series.set(id, series);
    }
    let counter = series.byStatus.get(status);
    if (counter === undefined) {
      const key = `${series.labels},status="${status}"`;
      counter = this.requests.get(key) ?? { value: 0 };
      this.requests.set(key, counter);
      series.byStatus.set(status, counter);
    }
    counter.value += 1;
    const h = series.histogram;
    // Cumulative buckets: every bucket whose bound is at least `seconds`, from the largest down.
    for (let i = BUCKETS_S.length - 1; i >= 0 && seconds <= (BUCKETS_S[i] as number); i--) h.counts[i] = (h.counts[i] ?? 0) + 1;
    h.sum += seconds;
    h.count += 1;
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
    for (const [labels, c] of this.requests) out.push(`evalops_http_requests_total{${labels}} ${c.value}`);
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

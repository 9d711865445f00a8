import { describe, expect, it } from 'vitest';
import { ServerMetrics } from './server-metrics.js';

function lines(m: ServerMetrics): string[] {
  return m.render().split('\n');
}

describe('ServerMetrics', () => {
  it('counts requests by route, method and status, and renders a cumulative latency histogram', () => {
    const m = new ServerMetrics();
    m.observeRequest('/a', 'GET', 200, 0.003); // ≤ every bucket
    m.observeRequest('/a', 'GET', 200, 0.03); // > 0.025, ≤ 0.05
    m.observeRequest('/a', 'GET', 404, 20); // above every bound: only +Inf
    m.observeRequest('/a', 'HEAD', 200, 0.01); // exactly on a bound counts in it
    const out = lines(m);
    expect(out).toContain('evalops_http_requests_total{route="/a",method="GET",status="200"} 2');
    expect(out).toContain('evalops_http_requests_total{route="/a",method="GET",status="404"} 1');
    expect(out).toContain('evalops_http_requests_total{route="/a",method="HEAD",status="200"} 1');
    const bucket = (method: string, le: string) => out.find((l) => l.startsWith(`evalops_http_request_duration_seconds_bucket{route="/a",method="${method}",le="${le}"}`))?.split(' ')[1];
    expect(bucket('GET', '0.005')).toBe('1');
    expect(bucket('GET', '0.025')).toBe('1');
    expect(bucket('GET', '0.05')).toBe('2');
    expect(bucket('GET', '10')).toBe('2');
    expect(bucket('GET', '+Inf')).toBe('3');
    expect(bucket('HEAD', '0.005')).toBe('0');
    expect(bucket('HEAD', '0.01')).toBe('1');
    expect(out).toContain('evalops_http_request_duration_seconds_count{route="/a",method="GET"} 3');
    expect(out.find((l) => l.startsWith('evalops_http_request_duration_seconds_sum{route="/a",method="GET"}'))).toBe('evalops_http_request_duration_seconds_sum{route="/a",method="GET"} 20.033');
  });

  it('escapes label values', () => {
    const m = new ServerMetrics();
    m.observeRequest('/a"b\\c', 'GET', 200, 0.001);
    expect(lines(m)).toContain('evalops_http_requests_total{route="/a\\"b\\\\c",method="GET",status="200"} 1');
  });
});

/** Formatting shared by the pages. */

export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

export const interval = (ci: readonly number[] | null | undefined): string => (ci && ci.length === 2 ? `${(ci[0]! * 100).toFixed(1)}–${(ci[1]! * 100).toFixed(1)}%` : '—');

export const usd = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x < 0.01 && x > 0 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`);

export const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

export const when = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').slice(0, 19) : '—');

/** Text of any output value: strings as they are, anything else as JSON. */
export const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

/** A run's variant as people read it: the server's name (target label and short hash), else type and short hash. */
export const variantName = (target: { type: string; variant: string; name?: string }): string => target.name ?? `${target.type} · ${target.variant.slice(0, 8)}`;

import { z } from 'zod';
import { contentHash } from './hash.js';
import { ReleaseConfigSchema, type ReleaseConfig } from './release-config.js';
import type { ReleaseStatus } from './release.js';
import { servingOrder, trackTraffic } from './release-traffic.js';
import { bucketRanges, subjectBucket } from './subject-bucket.js';

/**
 * What a resolver needs to answer any subject of a track without asking again: the releases with
 * traffic, each with its bucket range (src/core/subject-bucket.ts) and config. The server answers
 * one subject from it (`GET …/resolve?subject=`); the SDK fetches the whole table
 * (`GET …/resolve/table`) and computes the bucket locally, so one request serves every subject.
 */

/** The only track today: a project's releases form one track (src/core/release-traffic.ts). */
export const DEFAULT_TRACK = 'default';

/** The name of the assignment rule, sent with the table so a client can refuse one it does not know. */
export const BUCKET_ALGORITHM = 'sha256-be64-mod-10000';

export const ResolvedReleaseSchema = z.object({
  id: z.string(),
  name: z.string().nullable().describe('the first of the release names, null when it has none'),
  names: z.array(z.string()),
  variant: z.string(),
  status: z.enum(['live', 'canary']),
  percent: z.number().int().describe('its share of the track, in percent'),
  configHash: z.string().nullable(),
});
export type ResolvedRelease = z.infer<typeof ResolvedReleaseSchema>;

export const ResolutionTableSchema = z.object({
  project: z.string(),
  track: z.string(),
  algorithm: z.literal(BUCKET_ALGORITHM),
  etag: z.string().describe('changes exactly when an answer of the table does'),
  releases: z
    .array(ResolvedReleaseSchema.extend({ from: z.number().int(), to: z.number().int(), etag: z.string().describe('of the answer for a subject of this release') }))
    .describe('serving order: canaries (oldest change first), then live; [from, to) bucket ranges'),
  configs: z.record(z.string(), ReleaseConfigSchema).describe('the configs of the releases, by hash'),
});
export type ResolutionTable = z.infer<typeof ResolutionTableSchema>;

/** One subject's answer. `release` null: no release serves its bucket (no live release). */
export interface Resolution {
  readonly bucket: number;
  readonly release: ResolvedRelease | null;
  readonly config: ReleaseConfig | null;
  /** Of the answer without the subject: equal answers have equal ETags. */
  readonly etag: string;
}

const NO_RELEASE_ETAG = contentHash({ release: null });

/** A release as the table is built from it. */
export interface TableRelease {
  readonly id: string;
  readonly names: readonly string[];
  readonly targetVariant: string;
  readonly status: ReleaseStatus;
  readonly canaryPercent: number | null;
  readonly updatedAt: string;
  readonly configHash: string | null;
}

/**
 * The table of a track from its releases and their configs.
 * @example buildResolutionTable('shop', 'default', [{ id: 'rel_a', names: ['1.0'], targetVariant: 'v1', status: 'live', canaryPercent: null, updatedAt: '…', configHash: null }], new Map())
 *   // releases: [{ id: 'rel_a', status: 'live', percent: 100, from: 0, to: 10000, … }]
 */
export function buildResolutionTable(project: string, track: string, releases: readonly TableRelease[], configs: ReadonlyMap<string, ReleaseConfig>): ResolutionTable {
  const traffic = trackTraffic(releases);
  const { canaries, live } = servingOrder(releases);
  const serving = [...canaries, ...(live ? [live] : [])].map((r) => ({ release: r, percent: traffic.shares.get(r.id) ?? 0 }));
  const ranges = new Map(bucketRanges(serving.map((s) => ({ release: s.release.id, percent: s.percent }))).map((r) => [r.release, r]));
  const rows = serving.flatMap(({ release: r, percent }) => {
    const range = ranges.get(r.id);
    if (!range) return [];
    const release: ResolvedRelease = { id: r.id, name: r.names[0] ?? null, names: [...r.names], variant: r.targetVariant, status: r.status === 'canary' ? 'canary' : 'live', percent, configHash: r.configHash };
    return [{ ...release, from: range.from, to: range.to, etag: contentHash({ release }) }];
  });
  const used = Object.fromEntries(rows.flatMap((r) => (r.configHash !== null && configs.has(r.configHash) ? [[r.configHash, configs.get(r.configHash) as ReleaseConfig]] : [])));
  return { project, track, algorithm: BUCKET_ALGORITHM, etag: contentHash({ track, rows }), releases: rows, configs: used };
}

/**
 * A subject's release and config from a table.
 * @example resolveSubject(table, 'user-42') // { bucket: 1234, release: { id: 'rel_b', status: 'canary', … }, config: { … }, etag: '…' }
 */
export function resolveSubject(table: ResolutionTable, subject: string): Resolution {
  const bucket = subjectBucket(table.project, table.track, subject);
  const row = table.releases.find((r) => bucket >= r.from && bucket < r.to);
  if (!row) return { bucket, release: null, config: null, etag: NO_RELEASE_ETAG };
  const { from: _from, to: _to, etag, ...release } = row;
  return { bucket, release, config: release.configHash === null ? null : (table.configs[release.configHash] ?? null), etag };
}

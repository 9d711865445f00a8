import type { Kysely, Migration } from 'kysely';

/**
 * Release names: the human names (`2.1.0`, a git SHA, an image tag) a release is known by. A name is
 * unique per project and bound to one release (one variant) for good; a release may carry several
 * names (a version and its git SHA). Spans name their release with `evalops.release` or
 * `service.version`; the name is resolved when the spans are read, so traces that arrive before the
 * release is named are matched once it is. The spans index serves the "unknown releases" listing.
 */
export const releaseNamesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('release_names')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('release_names_pk', ['project_id', 'name'])
      .execute();
    await db.schema.createIndex('release_names_release').on('release_names').column('release_id').execute();
    await db.schema.createIndex('spans_project_release').on('spans').columns(['project_id', 'release']).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('spans_project_release').execute();
    await db.schema.dropTable('release_names').execute();
  },
};

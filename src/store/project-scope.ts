/**
 * The projects a lookup by id may see: one project's id, or null for every project (an instance-wide
 * key, or the CLI's local mode, where the person at the terminal owns the database file). A scoped
 * lookup puts the project in its WHERE clause, so a row of another project is simply not found and
 * answers exactly as an id that does not exist.
 */
export type ProjectScope = string | null;

import { afterAll, beforeAll } from 'vitest';
import { pgQuery, TEST_PG_URL } from '../support/test-postgres.js';
import { describeReviewFlow } from './review-flow.js';

/** The same flow on PostgreSQL: the CLI, the server and its parallel reviewers on one fresh database. */
const dbName = `evalops_review_${process.pid}_${Date.now().toString(36)}`;
const url = TEST_PG_URL.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}$1`);
beforeAll(async () => {
  await pgQuery(`create database "${dbName}"`);
});
afterAll(async () => {
  await pgQuery(`drop database if exists "${dbName}" with (force)`);
});

describeReviewFlow('postgres', () => url);

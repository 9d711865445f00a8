import { describe, expect, it } from 'vitest';
import { type AlertAction, type AlertStatus, AlertStatusSchema, alertTransition } from './alert-lifecycle.js';

type Outcome = ReturnType<typeof alertTransition>;

/** The lifecycle open → acknowledged → resolved (or open → resolved), resolved final, as a table. */
const TABLE: Record<AlertStatus, Record<AlertAction, { status: AlertStatus } | { refused: RegExp }>> = {
  open: { acknowledge: { status: 'acknowledged' }, resolve: { status: 'resolved' } },
  acknowledged: { acknowledge: { refused: /already acknowledged/ }, resolve: { status: 'resolved' } },
  resolved: { acknowledge: { refused: /already resolved.*new alert/ }, resolve: { refused: /already resolved.*new alert/ } },
};

describe('alertTransition', () => {
  it('has a row for every status of the schema', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...AlertStatusSchema.options].sort());
  });

  for (const status of AlertStatusSchema.options) {
    for (const action of ['acknowledge', 'resolve'] as const) {
      const want = TABLE[status][action];
      if ('status' in want) {
        it(`moves ${status} to ${want.status} on ${action}`, () => {
          expect(alertTransition(status, action)).toEqual({ ok: true, status: want.status } satisfies Outcome);
        });
      } else {
        it(`refuses to ${action} an ${status} alert, saying why`, () => {
          const out = alertTransition(status, action);
          expect(out.ok).toBe(false);
          if (!out.ok) expect(out.message).toMatch(want.refused);
        });
      }
    }
  }
});

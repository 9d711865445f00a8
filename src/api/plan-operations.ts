import { planGate, PlanBodySchema, PlanReportSchema } from '../gate/plan-gate.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';

/**
 * The planner: what a gate policy can see on a dataset. `evalops plan`. It reads and records
 * nothing but what is stored, so a viewer may ask; a POST only because the policy travels in the body.
 */
export const planGateOperation = defineOperation({
  id: 'planGate',
  method: 'post',
  path: '/projects/{project}/gate-plan',
  summary:
    "What a gate policy can see: per noRegression rule and slice, the minimum detectable drop at 80% power under the gate's own correction, from the dataset's sizes, earlier runs' pass rates and discordance (or stated assumptions); with `drop`, the examples each test needs",
  tags: ['gate'],
  permission: 'runs:read',
  params: ProjectParams,
  body: PlanBodySchema,
  response: PlanReportSchema,
  async handle(ctx, { params, body }) {
    return planGate(ctx.store, params.project, body);
  },
});

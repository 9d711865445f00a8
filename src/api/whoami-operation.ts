import { z } from 'zod';
import { RoleSchema } from '../auth/roles.js';
import { defineOperation } from './operation.js';

/** Who the key is: its project (null for an instance-wide key) and role. The CLI's remote mode uses
 * the project when no --project or config names one. */
export const whoAmI = defineOperation({
  id: 'whoAmI',
  method: 'get',
  path: '/whoami',
  summary: "The calling key's project and role",
  tags: ['auth'],
  permission: 'runs:read',
  params: z.object({}),
  response: z.object({ project: z.string().nullable(), role: RoleSchema.nullable(), actor: z.string() }),
  async handle(ctx) {
    return { project: ctx.principal?.projectName ?? null, role: ctx.principal?.role ?? null, actor: ctx.actor() };
  },
});

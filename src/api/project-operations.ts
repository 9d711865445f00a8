import { z } from 'zod';
import { INSTANCE_AUDIT_PROJECT } from '../store/api-key-repository.js';
import { defineOperation } from './operation.js';

/**
 * Projects the calling key can see: every project for an instance-wide key (and in the CLI's local
 * mode), the key's own otherwise. The reserved `_instance` project, which only holds the audit chain
 * of instance-wide keys, is not a project of anyone's: it is left out (its log stays readable at
 * /projects/_instance/audit).
 */
export const listProjects = defineOperation({
  id: 'listProjects',
  method: 'get',
  path: '/projects',
  summary: "Projects visible to the key: all of them for an instance-wide key, the key's own project otherwise",
  tags: ['projects'],
  permission: 'runs:read',
  params: z.object({}),
  response: z.object({ projects: z.array(z.object({ name: z.string(), createdAt: z.string() })) }),
  async handle(ctx) {
    const keyProject = ctx.principal?.projectId ?? null;
    const all = await ctx.store.projects.list();
    const visible = all.filter((p) => p.name !== INSTANCE_AUDIT_PROJECT && (keyProject === null || p.id === keyProject));
    return { projects: visible.map((p) => ({ name: p.name, createdAt: p.createdAt })) };
  },
});

import { z } from 'zod';

/** Output schema pieces shared by several tools. */
export const realmRef = z.object({ name: z.string(), path: z.string() });
export const nextSteps = z.array(z.string()).describe('Commands or actions to take next.');
export const importStatus = z.enum(['current', 'stale', 'broken']);
export const valueChange = z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), value: z.unknown().optional(), from: z.unknown().optional(), to: z.unknown().optional() });

import { z } from 'zod';

export const BACKEND_NAMES = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The top level of a pipeline YAML; plugin nodes are validated afterwards by their own descriptors. */
export const pipelineSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'a run name may hold letters, digits, dot, dash and underscore')
    .optional(),
  seed: z.int().min(0).default(0),
  backend: z.enum(BACKEND_NAMES).default('auto'),
  runs: z.string().min(1).default('runs'),
  data: z.unknown().optional(),
  teacher: z.unknown().optional(),
  student: z.unknown().optional(),
  stages: z.array(z.unknown()).min(1),
});

/** Keys every stage node may have besides its plugin's own: a name for logs, checkpoints and resume. */
export const stageNameSchema = z.string().regex(/^[A-Za-z0-9._-]+$/, 'a stage name may hold letters, digits, dot, dash and underscore');

import { z } from 'zod';
import { INVALID_POLICIES } from './invalid-policy.js';

/** The settings every file dataset shares in YAML: input size, what to do with bad input, image cache. */
export const datasetSettingsSchema = z.strictObject({
  /** Side of the square images samples are letterboxed to, as Ultralytics' `imgsz`. */
  imgsz: z.int().min(16).max(4096).default(640),
  /** `error`: bad labels or images fail the run, listing them; `skip`: they are dropped with a warning. */
  invalid: z.enum(INVALID_POLICIES).default('error'),
  /** Memory in MB for decoded, letterboxed images; 0 = no cache. */
  cache: z.number().min(0).max(1_048_576).default(0),
});

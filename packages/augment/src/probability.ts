import { z } from 'zod';

/** The `p` every augmentation takes: how often it applies, 0..1. */
export const probability = (byDefault: number) => z.number().min(0).max(1).default(byDefault);

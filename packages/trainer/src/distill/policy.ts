import type { Logger } from '@yolo-distill/core';

export type Policy = 'error' | 'warn';

/** A guard-rail finding: an error stops the stage, a warning is logged loudly and the stage goes on. */
export function enforce(policy: Policy, message: string, override: string, logger: Logger): void {
  if (policy === 'error') throw new Error(`${message} (to go on anyway set ${override}: warn)`);
  logger.warn(`!!! ${message} (going on because ${override} is 'warn')`);
}

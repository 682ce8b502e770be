import type { ModuleArgs } from './module-args.js';

/** The arguments of the CSP blocks C3 and C2f: `[c2, shortcut, g=1, e=0.5]`. */
export interface CspArgs {
  readonly c2: number;
  readonly shortcut: boolean;
  readonly e: number;
}

/** Parses `[c2, shortcut, g, e]`; the blocks differ only in their `shortcut` default (C3 True, C2f False). */
export function parseCspArgs(args: ModuleArgs, shortcutDefault: boolean): CspArgs {
  args.atLeast(1);
  args.atMost(4);
  args.ungrouped(2);
  return { c2: args.int(0, 'c2'), shortcut: args.bool(1, 'shortcut', shortcutDefault), e: args.number(3, 'e', { default: 0.5, min: 0, exclusiveMin: true }) };
}

import type { HeadKind } from '@yolo-distill/core';
import type { HeadSpec } from '../head-spec.js';
import { anchorBasedHead } from './anchor-based-head.js';
import { anchorFreeHead } from './anchor-free-head.js';
import type { HeadKindEntry } from './head-kind.js';
import { HeadKindRegistry } from './head-kind-registry.js';

/** Every head kind the workspace knows, the one list (a new kind is one more entry here). */
export const HEAD_KINDS: readonly HeadKindEntry[] = [anchorBasedHead, anchorFreeHead];

/** The registry of `HEAD_KINDS`. */
export const headKinds = new HeadKindRegistry(HEAD_KINDS);

/** The entry of a head kind; an unknown kind names the registered ones. */
export function headKind(kind: HeadKind): HeadKindEntry {
  return headKinds.get(kind);
}

/** Output channels of one level of the raw head. */
export function headChannels(spec: HeadSpec, level = 0): number {
  return headKind(spec.kind).channels(spec, level);
}

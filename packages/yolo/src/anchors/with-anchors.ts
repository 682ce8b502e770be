import type { LayerSpec, ModelSpec } from '../yaml/model-spec.js';
import type { LevelAnchors } from './refit-anchors.js';

/**
 * The spec with its anchor-based head's anchors replaced (per level `[w, h]` in input pixels, in the
 * order of the head's inputs, as `AnchorHeadSpec.anchors`), everything else shared. Each level keeps
 * its anchor count, so the head's channels and every weight shape stay the same; the anchors still
 * pass the head's own order check (yolov5's `check_anchor_order`) when the model is built.
 */
export function withAnchors(spec: ModelSpec, anchors: LevelAnchors): ModelSpec {
  const head = spec.layers[spec.layers.length - 1];
  const args = head?.args as { anchors?: unknown } | undefined;
  if (!head || head.module.role !== 'head' || !args || !Array.isArray(args.anchors)) {
    throw new Error(`${spec.file}: the head ${head?.module.name ?? '(none)'} is not anchor-based; anchors can only be set on an anchor-based Detect`);
  }
  const current = args.anchors as LevelAnchors;
  const counts = (levels: LevelAnchors) => levels.map((level) => level.length).join(', ');
  if (anchors.length !== current.length || anchors.some((level, i) => level.length !== current[i]?.length)) {
    throw new Error(`${spec.file}: ${head.row} has anchors per level [${counts(current)}], the new anchors have [${counts(anchors)}]`);
  }
  for (const [w, h] of anchors.flat()) {
    if (!(Number.isFinite(w) && Number.isFinite(h) && w > 0 && h > 0)) throw new Error(`${spec.file}: anchors must be positive pixel sizes, found [${w}, ${h}]`);
  }
  const copy = anchors.map((level) => level.map(([w, h]) => [w, h] as const));
  const replaced: LayerSpec = { ...head, args: { ...args, anchors: copy } };
  return { ...spec, layers: [...spec.layers.slice(0, -1), replaced] };
}

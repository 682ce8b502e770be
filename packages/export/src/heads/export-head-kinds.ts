import type { HeadKind } from '@yolo-distill/core';
import { anchorBasedExport } from './anchor-based-export.js';
import { anchorFreeExport } from './anchor-free-export.js';
import type { ExportHeadKind } from './export-head-kind.js';

/** The head kinds the exporters can write, by the name of yolo's `HEAD_KINDS` entry (a new kind is one more entry). */
export const EXPORT_HEAD_KINDS: readonly ExportHeadKind[] = [anchorBasedExport, anchorFreeExport];

/** The export entry of a head kind; one the exporters do not know says where to add it. */
export function exportHeadKind(kind: HeadKind, modelName: string): ExportHeadKind {
  const entry = EXPORT_HEAD_KINDS.find((k) => k.name === kind);
  if (!entry) {
    const known = EXPORT_HEAD_KINDS.map((k) => k.name).join(', ');
    throw new Error(`${modelName}: the exporters cannot write a '${kind}' head (they know ${known}); add its entry to EXPORT_HEAD_KINDS in packages/export/src/heads/`);
  }
  return entry;
}

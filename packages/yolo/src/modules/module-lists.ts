import { bottleneckModule, ultralyticsBottleneckModule } from './bottleneck.js';
import { c2fModule } from './c2f.js';
import { c3Module } from './c3.js';
import { concatModule } from './concat.js';
import { convModule } from './conv.js';
import { detectModule } from './detect.js';
import { dflDetectModule } from './detect-dfl.js';
import type { ModuleEntry } from './module-entry.js';
import { ModuleRegistry } from './module-registry.js';
import { sppModule } from './spp.js';
import { sppfModule, ultralyticsSppfModule } from './sppf.js';
import { upsampleModule } from './upsample.js';

/**
 * The modules of the ultralytics/yolov5 repository's `models/yolo.py` (v6.0+), as its YAMLs name them.
 * `Detect` is the anchor-based head.
 */
export const YOLOV5_MODULES: readonly ModuleEntry[] = [
  convModule,
  bottleneckModule,
  c3Module,
  sppModule,
  sppfModule,
  concatModule,
  upsampleModule,
  detectModule,
];

/**
 * The modules of the `ultralytics` package (8.4) used by its YOLOv8 YAMLs. `Detect` is the anchor-free
 * DFL head, `SPPF` has a linear cv1, `Bottleneck` takes kernels.
 */
export const ULTRALYTICS_MODULES: readonly ModuleEntry[] = [
  convModule,
  ultralyticsBottleneckModule,
  c3Module,
  c2fModule,
  sppModule,
  ultralyticsSppfModule,
  concatModule,
  upsampleModule,
  dflDetectModule,
];

export const yolov5Modules = (): ModuleRegistry => new ModuleRegistry('yolov5', YOLOV5_MODULES);
export const ultralyticsModules = (): ModuleRegistry => new ModuleRegistry('ultralytics', ULTRALYTICS_MODULES);

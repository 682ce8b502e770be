import type { Activation } from '../modules/activation.js';
import type { ModuleEntry, Scaling } from '../modules/module-entry.js';

/** One row of a model YAML after parsing, scaling and channel inference. */
export interface LayerSpec {
  /** The row's index over `backbone + head` (Ultralytics' layer number: `model.<index>`). */
  readonly index: number;
  readonly section: 'backbone' | 'head';
  /** The row as the YAML places it, `head[3]`. */
  readonly row: string;
  /** `file:line:col` of the row. */
  readonly where: string;
  /** Absolute indexes of the input rows; -1 is the input image. */
  readonly from: readonly number[];
  /** Repeats after depth scaling: inside the module (C3, C2f) or as stacked copies. */
  readonly repeats: number;
  readonly module: ModuleEntry;
  /** The module's parsed args (the module's own type). */
  readonly args: unknown;
  readonly inputChannels: readonly number[];
  readonly outputChannels: number;
  readonly inputStrides: readonly number[];
  /** Input pixels per cell of this row's output map. */
  readonly stride: number;
}

/** A model YAML made concrete for one scale and class count. */
export interface ModelSpec {
  readonly file: string;
  readonly numClasses: number;
  /** The chosen key of `scales`, if the YAML has scales. */
  readonly scale: string | undefined;
  readonly scaling: Scaling;
  readonly activation: Activation;
  /** Channels of the input image (`ch`, 3). */
  readonly inputChannels: number;
  readonly backboneLength: number;
  readonly layers: readonly LayerSpec[];
  /**
   * A pruned model's channel counts: conv kernel name (`model.2.cv1.conv.weight`) -> `[in, out]`,
   * replacing what the modules' rules give for those convs (absent: every conv as the YAML makes it).
   * Structured pruning sets it; checkpoints carry it (`meta.channelWidths`).
   */
  readonly channelWidths?: ChannelWidths;
}

/** Conv kernel name -> `[input, output]` channels (see `ModelSpec.channelWidths`). */
export type ChannelWidths = Readonly<Record<string, readonly [number, number]>>;

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { container } from 'tsyringe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '@yolo-distill/backend';
import { ConfigLocation, InlineConfigSource, PluginRegistry, type DetectionModel, type HeadKind, type ImageBatch, type Plugin } from '@yolo-distill/core';
import { readFixtureFloats, readFixtureJson, relativeMaxError, ultralyticsFixture } from '@yolo-distill/core/testing';
import { headKind } from '../heads/kinds/head-kinds.js';
import { YoloModel } from '../model/yolo-model.js';
import { nonMaxSuppression } from '../nms/non-max-suppression.js';
import { boxIoU } from '../boxes/box-iou.js';

/** A model YAML handed to the descriptor as `cfg` (written to a temporary file). */
export interface ContractYaml {
  readonly file: string;
  readonly text: string;
}

export interface AdapterContractOptions {
  /** The adapter package's plugin object. */
  readonly plugin: Plugin;
  /** Its model descriptor's type, `yolov5.Model`. */
  readonly type: string;
  /** Every scale, with the parameter count of the upstream model summary at nc 80 (the reference; undefined where none is known). */
  readonly scales: Readonly<Record<string, number | undefined>>;
  /** The scale the forward, training, decode and checkpoint checks use (the smallest), optionally a narrower cfg of it. */
  readonly smallest: { readonly scale: string; readonly cfg?: ContractYaml };
  readonly headKind: HeadKind;
  /** The smallest scale's strides. */
  readonly strides: readonly number[];
  /** The taps the adapter's distillation uses by default (`neck.0`..). */
  readonly taps: readonly string[];
  /** The shared Ultralytics fixture of this version (`yolov5n`), if one exists, with the scale (and cfg) it was made with. */
  readonly fixture?: { readonly name: string; readonly scale: string; readonly cfg?: ContractYaml };
  /**
   * The training check: Adam at `lr` (default 0.01) for `steps` (default 4) on a fixed batch; the mean loss of the
   * last sixth of the steps must be below that of the first. A task-aligned (v8) loss rises for its first steps
   * from fresh weights (few positives), so v8-style adapters ask for more steps at a lower rate.
   */
  readonly training?: { readonly lr?: number; readonly steps?: number };
  /** Per-test timeout; the machine may be loaded (nothing is timed). */
  readonly timeout?: number;
}

interface FixtureMeta {
  readonly nc: number;
  readonly input: { readonly file: string; readonly shape: readonly number[] };
  readonly output: { readonly file: string; readonly shape?: readonly number[] };
  readonly features: readonly { readonly file: string; readonly shape: readonly number[] }[];
}

const IMAGE = 64;
const CLASSES = 3;

/** A fixed batch: two images of seeded noise, three boxes `[image, cls, cx, cy, w, h]`. */
function contractBatch(): { images: tf.Tensor4D; batch: ImageBatch } {
  const images = tf.randomUniform([2, IMAGE, IMAGE, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const targets = new Float32Array([0, 0, 0.3, 0.3, 0.2, 0.25, 0, 2, 0.7, 0.6, 0.3, 0.2, 1, 1, 0.5, 0.5, 0.4, 0.4]);
  return { images, batch: { images: new Float32Array(0), shape: [2, IMAGE, IMAGE, 3], targets, targetCount: 3, sources: ['a', 'b'] } };
}

/**
 * The contract every adapter's spec runs (`describeAdapterContract({...})`): through its plugin's model
 * descriptor it builds every scale (parameter counts against the upstream summaries), checks forward
 * shapes and taps, takes a few Adam steps of the native loss on a fixed batch (finite, falling, no
 * leaked tensors), decodes and runs NMS, round-trips a checkpoint, and imports its own fixture's ONNX
 * export where one exists (features and decoded output within 1e-4 of the reference).
 */
export function describeAdapterContract(options: AdapterContractOptions): void {
  const timeout = options.timeout ?? 180_000;
  describe(`${options.type}: the adapter contract`, () => {
    const registry = new PluginRegistry([options.plugin]);
    const at = new ConfigLocation(new InlineConfigSource('contract.yaml'), ['student'], registry);
    let dir = '';
    const cfgFile = (yaml: ContractYaml | undefined): { cfg?: string } => {
      if (!yaml) return {};
      const path = join(dir, yaml.file);
      if (!existsSync(path)) writeFileSync(path, yaml.text);
      return { cfg: path };
    };
    const build = async (raw: Record<string, unknown>): Promise<YoloModel> => {
      const model = await registry.build(registry.parse<DetectionModel>('model', { type: options.type, ...raw }, at), container.createChildContainer());
      if (!(model instanceof YoloModel)) throw new Error(`${options.type} built a ${model.constructor.name}, not a YoloModel`);
      return model;
    };
    const smallest = (seed: number) => build({ scale: options.smallest.scale, classes: CLASSES, seed, ...cfgFile(options.smallest.cfg) });

    beforeAll(async () => {
      await selectBackend('wasm');
      dir = mkdtempSync(join(tmpdir(), 'yolo-distill-contract-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(Object.entries(options.scales))('builds scale %s with the upstream parameter count (nc 80)', async (scale, parameters) => {
      const model = await build({ scale, classes: 80 });
      try {
        expect(model.headKind).toBe(options.headKind);
        expect(model.numClasses).toBe(80);
        if (parameters !== undefined) expect(model.parameterCount()).toBe(parameters);
        else expect(model.parameterCount()).toBeGreaterThan(0);
        for (const tap of options.taps) expect(model.taps).toContain(tap);
      } finally {
        model.dispose();
      }
    }, timeout);

    it('forwards NHWC images to one raw map per stride and the default taps at their strides', async () => {
      const model = await smallest(0);
      const images = tf.zeros([2, IMAGE, IMAGE, 3]) as tf.Tensor4D;
      const output = model.forward(images, { training: false, taps: options.taps });
      try {
        expect(model.strides).toEqual(options.strides);
        expect(model.headDescription.kind).toBe(options.headKind);
        expect(output.head.map((map) => map.shape)).toEqual(
          options.strides.map((stride, level) => [2, IMAGE / stride, IMAGE / stride, headKind(options.headKind).channels(model.head, level)]),
        );
        options.taps.forEach((tap) => expect(output.features[tap]?.shape.slice(0, 3), tap).toBeDefined());
        // neck.k feeds head level k: the same grid.
        options.taps.forEach((tap) => {
          const level = /^neck\.(\d+)$/.exec(tap)?.[1];
          if (level !== undefined) expect(output.features[tap]?.shape.slice(1, 3), tap).toEqual(output.head[Number(level)]?.shape.slice(1, 3));
        });
      } finally {
        tf.dispose([images, ...output.head, ...Object.values(output.features)]);
        model.dispose();
      }
    }, timeout);

    it(`takes ${options.training?.steps ?? 4} Adam steps of its native loss: finite, falling, no tensor left behind`, async () => {
      const steps = options.training?.steps ?? 4;
      const window = Math.max(1, Math.floor(steps / 6));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const model = await smallest(1);
      const { images, batch } = contractBatch();
      const optimizer = tf.train.adam(options.training?.lr ?? 0.01);
      const losses: number[] = [];
      const counts: number[] = [];
      try {
        for (let step = 0; step < steps; step++) {
          const loss = optimizer.minimize(() => model.loss(model.forward(images, { training: true }), batch).total, true, [...model.trainableVariables()]);
          losses.push((await loss!.data())[0] as number);
          loss!.dispose();
          counts.push(tf.memory().numTensors);
        }
        for (const value of losses) expect(Number.isFinite(value), `loss ${value}`).toBe(true);
        expect(mean(losses.slice(-window))).toBeLessThan(mean(losses.slice(0, window)));
        // The optimiser's slots appear on the first step; after that nothing grows.
        expect(counts[steps - 1]).toBe(counts[1]);
      } finally {
        optimizer.dispose();
        images.dispose();
        model.dispose();
      }
    }, timeout);

    it('decodes to [B, N, 4 + nc] boxes agreeing with its export layout, and NMS keeps boxes apart', async () => {
      const model = await smallest(2);
      const images = tf.randomUniform([1, IMAGE, IMAGE, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const output = model.forward(images, { training: false });
      const decoded = model.decode(output);
      const exported = model.decodeAsExported(output);
      try {
        const entry = headKind(options.headKind);
        const rows = options.strides.reduce((sum, s, level) => sum + (IMAGE / s) ** 2 * entry.predictionsPerCell(model.head, level), 0);
        expect(decoded.shape).toEqual([1, rows, 4 + CLASSES]);
        // The export layout, read as NMS reads it, gives the same boxes and scores as decode().
        const asRows = tf.tidy(() => {
          const r = entry.exported.layout === 'channels-first' ? tf.transpose(exported, [0, 2, 1]) : exported;
          if (!entry.exported.objectness) return r;
          const [b, n] = r.shape;
          return tf.concat([tf.slice(r, [0, 0, 0], [b, n, 4]), tf.mul(tf.slice(r, [0, 0, 4], [b, n, 1]), tf.slice(r, [0, 0, 5], [b, n, CLASSES]))], 2);
        });
        expect(relativeMaxError(await asRows.data(), await decoded.data())).toBeLessThan(1e-6);
        asRows.dispose();
        const scores = (await decoded.data()).filter((_, i) => i % (4 + CLASSES) >= 4);
        expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...scores)).toBeLessThanOrEqual(1);
        const conf = 0.01;
        const iou = 0.5;
        const [kept] = nonMaxSuppression({ data: await exported.data() as Float32Array, dims: exported.shape }, {
          objectness: entry.exported.objectness,
          layout: entry.exported.layout,
          numClasses: CLASSES,
          confThreshold: conf,
          iouThreshold: iou,
          maxDetections: 50,
        });
        expect(kept).toBeDefined();
        for (const d of kept ?? []) expect(d.score).toBeGreaterThanOrEqual(conf);
        const same = (kept ?? []).flatMap((a, i) => (kept ?? []).slice(i + 1).filter((b) => b.cls === a.cls).map((b) => [a.box, b.box] as const));
        if (same.length > 0) {
          const ious = tf.tidy(() => boxIoU(tf.tensor2d(same.map(([a]) => [...a])), tf.tensor2d(same.map(([, b]) => [...b])), { kind: 'iou', format: 'xyxy' }).dataSync());
          expect(Math.max(...ious)).toBeLessThanOrEqual(iou + 1e-6);
        }
      } finally {
        tf.dispose([images, decoded, exported, ...output.head]);
        model.dispose();
      }
    }, timeout);

    it('round-trips a checkpoint: another seed differs, the loaded model computes the same head and taps', async () => {
      const [a, b] = [await smallest(3), await smallest(4)];
      const images = tf.randomUniform([1, IMAGE, IMAGE, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
      // Batch statistics: a fresh model's eval-mode maps are little more than its biases.
      const run = async (model: YoloModel) => {
        const output = model.forward(images, { training: true, taps: options.taps });
        const maps = [...output.head, ...Object.values(output.features)];
        const flat = tf.concat(maps.map((map) => tf.reshape(map, [-1])));
        const values = await flat.data();
        tf.dispose([flat, ...maps]);
        return values;
      };
      try {
        const reference = await run(a);
        expect(relativeMaxError(await run(b), reference)).toBeGreaterThan(1e-3);
        const saved = await a.saveState();
        await b.loadState(saved);
        const weights = b.getWeights();
        for (const [name, stored] of Object.entries(saved.tensors)) expect(relativeMaxError(await (weights[name] as tf.Tensor).data(), stored.data as Float32Array), name).toBe(0);
        expect(relativeMaxError(await run(b), reference)).toBe(0);
      } finally {
        images.dispose();
        a.dispose();
        b.dispose();
      }
    }, timeout);

    const fixture = options.fixture;
    it.runIf(fixture !== undefined)(`imports its fixture's ONNX export (${fixture?.name ?? 'none'}) and reproduces its features and output`, async () => {
      const { name, scale, cfg } = fixture as NonNullable<typeof fixture>;
      const meta = readFixtureJson<FixtureMeta>(`${name}.json`);
      const model = await build({ scale, classes: meta.nc, weights: ultralyticsFixture(`${name}.onnx`), ...cfgFile(cfg) });
      const [, c, h, w] = meta.input.shape as [number, number, number, number];
      const images = tf.tidy(() => tf.transpose(tf.tensor4d(readFixtureFloats(meta.input.file), [1, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D);
      const taps = meta.features.map((_, k) => `neck.${k}`);
      const output = model.forward(images, { training: false, taps });
      try {
        for (const [k, feature] of meta.features.entries()) {
          const nchw = tf.tidy(() => tf.transpose(output.features[taps[k] as string] as tf.Tensor4D, [0, 3, 1, 2]));
          expect(nchw.shape, feature.file).toEqual(feature.shape);
          expect(relativeMaxError(await nchw.data(), readFixtureFloats(feature.file)), feature.file).toBeLessThanOrEqual(1e-4);
          nchw.dispose();
        }
        if (meta.output.shape) {
          const exported = model.decodeAsExported(output);
          expect(exported.shape).toEqual(meta.output.shape);
          expect(relativeMaxError(await exported.data(), readFixtureFloats(meta.output.file))).toBeLessThanOrEqual(1e-4);
          exported.dispose();
        }
      } finally {
        tf.dispose([images, ...output.head, ...Object.values(output.features)]);
        model.dispose();
      }
    }, timeout);
  });
}

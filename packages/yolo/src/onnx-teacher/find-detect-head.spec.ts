import { join } from 'node:path';
import { parseOnnxModel, readOnnxModel } from '../onnx/onnx-model.js';
import { OnnxModelBuilder } from '../onnx/onnx-writer.js';
import { findDetectHead } from './find-detect-head.js';
import { ULTRALYTICS_FIXTURES as FIXTURES } from '@yolo-distill/core/testing';

const read = (file: string) => readOnnxModel(join(FIXTURES, file));

describe('findDetectHead', () => {
  it.each(['yolov5n.onnx', 'yolov5n.nofuse.onnx'])('%s: anchor-based, 3 anchors x (5 + 80), the m.i conv outputs and the maps entering them, anchors and strides from its decode', async (file) => {
    expect(findDetectHead(await read(file))).toEqual({
      kind: 'anchor-based',
      origin: 'model.24',
      numClasses: 80,
      anchorsPerLevel: 3,
      anchors: [
        [[10, 13], [16, 30], [33, 23]],
        [[30, 61], [62, 45], [59, 119]],
        [[116, 90], [156, 198], [373, 326]],
      ],
      strides: [8, 16, 32],
      levels: [17, 20, 23].map((layer, i) => ({ feature: `/model.${layer}/cv3/act/Mul_output_0`, outputs: [`/model.24/m.${i}/Conv_output_0`] })),
    });
  });

  it('yolov8n: anchor-free, reg_max 16 from the box convs, 4 classes from the class convs, P3-P5 where the branches split', async () => {
    expect(findDetectHead(await read('yolov8n.onnx'))).toEqual({
      kind: 'anchor-free',
      origin: 'model.22',
      numClasses: 4,
      regMax: 16,
      levels: [15, 18, 21].map((layer, i) => ({
        feature: `/model.${layer}/cv2/act/Mul_output_0`,
        outputs: [`/model.22/cv2.${i}/cv2.${i}.2/Conv_output_0`, `/model.22/cv3.${i}/cv3.${i}.2/Conv_output_0`],
      })),
    });
  });

  it('yolov3-tiny: two levels, fed by layers 19 and 15', async () => {
    const head = findDetectHead(await read('yolov3-tiny.onnx'));
    expect(head).toMatchObject({ kind: 'anchor-based', origin: 'model.20', numClasses: 80, anchorsPerLevel: 3, strides: [16, 32] });
    expect(head.anchors).toEqual([
      [[10, 14], [23, 27], [37, 58]],
      [[81, 82], [135, 169], [344, 319]],
    ]);
    expect(head.levels.map((level) => level.feature)).toEqual(['/model.19/act/Mul_output_0', '/model.15/act/Mul_output_0']);
  });

  it('yolov7-tiny: the class count from the raw outputs (no metadata); unfused, ImplicitA and ImplicitM are stepped over', async () => {
    const features = [74, 75, 76].map((layer) => `/model.${layer}/act/LeakyRelu_output_0`);
    const fused = findDetectHead(await read('yolov7-tiny.onnx'));
    expect(fused).toMatchObject({ kind: 'anchor-based', origin: 'model.77', numClasses: 80, anchorsPerLevel: 3 });
    expect(fused.anchors).toBeUndefined(); // the default export returns the raw maps: no decode to read anchors from
    expect(fused.levels).toEqual(features.map((feature, i) => ({ feature, outputs: [`/model.77/m.${i}/Conv_output_0`] })));
    const unfused = findDetectHead(await read('yolov7-tiny.nofuse.onnx'));
    expect(unfused.levels).toEqual(features.map((feature, i) => ({ feature, outputs: [`/model.77/im.${i}/Mul_output_0`] })));
  });

  it('checks classes against the graph', async () => {
    const v5 = await read('yolov5n.onnx');
    expect(findDetectHead(v5, 80).numClasses).toBe(80);
    expect(() => findDetectHead(v5, 3)).toThrow(`${v5.source}: 'classes' is 3 but the head convs of model.24 have 255 channels, not a multiple of 5 + 3`);
    // 255 = 1 x (5 + 250): a consistent split, taken as told
    expect(findDetectHead(v5, 250)).toMatchObject({ numClasses: 250, anchorsPerLevel: 1 });
    const v8 = await read('yolov8n.onnx');
    expect(() => findDetectHead(v8, 80)).toThrow(`${v8.source}: 'classes' is 80 but the class convs of model.22 have 4 channels`);
  });

  it('an anchor-based head without names metadata or a [..., 5 + nc] output needs classes', () => {
    const model = parseOnnxModel(
      new OnnxModelBuilder({ opset: 13 })
        .input('images', [1, 3, 8, 8])
        .initializer('model.0.m.0.weight', new Float32Array(14 * 3), [14, 3, 1, 1])
        .node('Conv', ['images', 'model.0.m.0.weight'], ['raw'], { kernel_shape: [1, 1] })
        .output('raw', [1, 14, 8, 8])
        .encode(),
      'tiny.onnx',
    );
    expect(() => findDetectHead(model)).toThrow("tiny.onnx: cannot tell the class count of the anchor-based head model.0 from its 14 channels (na * (5 + nc)): the file has no 'names' metadata and no output shaped [..., 5 + nc]; set 'classes'");
    expect(findDetectHead(model, 2)).toEqual({ kind: 'anchor-based', origin: 'model.0', numClasses: 2, anchorsPerLevel: 2, levels: [{ feature: 'images', outputs: ['raw'] }] });
  });

  it('says what it looked for and what to write when the names are gone', () => {
    const model = parseOnnxModel(
      new OnnxModelBuilder({ opset: 13 })
        .input('images', [1, 3, 8, 8])
        .initializer('onnx::Conv_7', new Float32Array(255 * 3), [255, 3, 1, 1])
        .node('Conv', ['images', 'onnx::Conv_7'], ['raw'], { kernel_shape: [1, 1] }, { name: 'Conv_12' })
        .output('raw', [1, 255, 8, 8])
        .encode(),
      'simplified.onnx',
    );
    expect(() => findDetectHead(model)).toThrow(/^simplified\.onnx: no YOLO Detect head found; looked for .*'model\.<N>\.m\.<i>\.weight'.*head: \[.*taps: \{ neck\.0: <P3 tensor>.*classes: <n>$/);
  });
});

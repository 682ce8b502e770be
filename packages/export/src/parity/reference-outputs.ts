import * as tf from '@tensorflow/tfjs-core';
import type { DetectionModel, OnnxFloatTensor } from '@yolo-distill/core';
import { headKind, nonMaxSuppression } from '@yolo-distill/yolo';
import type { HeadLayout } from '../onnx/head-layout.js';
import type { NmsSettings } from '../onnx/nms-head.js';
import type { OnnxOutputSpec } from '../onnx/build-onnx-model.js';

/**
 * What the tfjs model computes for the decoded and raw outputs of an export, in the export's layout:
 * the decoded output (`decodeAsExported`), the raw head levels rearranged as the graph returns them, and
 * the boxes / scores an EfficientNMS_TRT plugin is fed (from `decode`).
 * (NMS rows are checked against `detectionRows` over the graph's own decoded tensor: see checkParity.)
 */
export function referenceOutputs(model: DetectionModel, images: tf.Tensor4D, outputs: readonly OnnxOutputSpec[], layout: HeadLayout): Record<string, OnnxFloatTensor> {
  const result: Record<string, OnnxFloatTensor> = {};
  const output = model.forward(images, { training: false });
  try {
    const read = (tensor: tf.Tensor): OnnxFloatTensor => ({ data: tensor.dataSync() as Float32Array, dims: [...tensor.shape] });
    const decoded = () => {
      if (!model.decodeAsExported) throw new Error(`${model.name}: the model cannot give its decoded output in the export layout (decodeAsExported)`);
      const tensor = model.decodeAsExported(output);
      try {
        return read(tensor);
      } finally {
        tensor.dispose();
      }
    };
    const rawLevels = outputs.filter((spec) => spec.kind === 'raw');
    if (rawLevels.length > 0) {
      const raw = layout.writer.rawReference(output.head as readonly tf.Tensor4D[], layout);
      rawLevels.forEach((spec, i) => (result[spec.name] = read(raw[i] as tf.Tensor)));
      tf.dispose(raw);
    }
    for (const spec of outputs) if (spec.kind === 'decoded') result[spec.name] = decoded();
    const pluginInputs = outputs.filter((spec) => spec.kind === 'boxes' || spec.kind === 'scores');
    if (pluginInputs.length > 0) {
      // model.decode: [B, N, 4 + nc] = cx, cy, w, h, then each class's confidence (objectness x class when anchor-based).
      const rows = model.decode(output);
      const [b, n, width] = rows.shape as [number, number, number];
      for (const spec of pluginInputs) {
        const part = spec.kind === 'boxes' ? tf.slice(rows, [0, 0, 0], [b, n, 4]) : tf.slice(rows, [0, 0, 4], [b, n, width - 4]);
        result[spec.name] = read(part);
        part.dispose();
      }
      rows.dispose();
    }
    return result;
  } finally {
    tf.dispose([...output.head, ...Object.values(output.features)]);
  }
}

/** The NMS output rows `[K, 7]` (batch, x1, y1, x2, y2, score, class) that the graph should return. */
export function detectionRows(decoded: OnnxFloatTensor, layout: HeadLayout, nms: NmsSettings): OnnxFloatTensor {
  const { layout: rowsLayout, objectness } = headKind(layout.head.kind).exported;
  const perImage = nonMaxSuppression(decoded, {
    objectness,
    layout: rowsLayout,
    numClasses: layout.head.numClasses,
    confThreshold: nms.confThreshold,
    iouThreshold: nms.iouThreshold,
    maxDetections: nms.maxDetections,
  });
  const rows: number[] = [];
  perImage.forEach((detections, image) => {
    for (const d of detections) rows.push(image, ...d.box, d.score, d.cls);
  });
  return { data: Float32Array.from(rows), dims: [rows.length / 7, 7] };
}

import { container } from 'tsyringe';
import { ConfigLocation, InlineConfigSource, PluginRegistry, type Metric } from '@yolo-distill/core';
import { at as grid, DETECTIONS, TRUTHS } from './test-support/metric-case.js';
import { CocoMapMetric, cocoMapMetric } from './metric-descriptors.js';
import { evalPlugin } from './plugin.js';

const at = new ConfigLocation(new InlineConfigSource('p.yaml'));

// See metrics/evaluate-detections.spec.ts for the hand-worked numbers of this image.
const cocoLow = (51 + (50 * 2) / 3) / 101;
const cocoClass0 = (7 * cocoLow + 3 * (51 / 101)) / 10;

describe('eval.CocoMap', () => {
  it('parses its options with defaults and rejects unknown keys', () => {
    expect(cocoMapMetric.parse({}, at)).toEqual({ f1Smoothing: 0.1, perClass: true });
    expect(cocoMapMetric.parse({ f1Smoothing: 0, perClass: false }, at)).toEqual({ f1Smoothing: 0, perClass: false });
    expect(() => cocoMapMetric.parse({ f1Smoothing: 2 }, at)).toThrow('f1Smoothing: expected a value <= 0.5, found number 2');
    expect(() => cocoMapMetric.parse({ smoothing: 0 }, at)).toThrow("unknown key 'smoothing'");
  });

  it('is registered by evalPlugin as a metric and builds a Metric', async () => {
    const registry = new PluginRegistry([evalPlugin]);
    expect(registry.types('metric')).toContain('eval.CocoMap');
    const metric = (await cocoMapMetric.create({ f1Smoothing: 0, perClass: true }, { container, build: () => Promise.reject(new Error('none')) })) as Metric;
    expect(metric.name).toBe('eval.CocoMap');
  });

  it('reports mAP, mAP50, mAP75, P/R/F1 and the localisation error at the best-F1 confidence and per-class numbers', () => {
    const values = new CocoMapMetric({ f1Smoothing: 0, perClass: true }).evaluate([DETECTIONS], [TRUTHS]);
    expect(values).toEqual({
      map: expect.closeTo((cocoClass0 + 1) / 2, 10),
      map50: expect.closeTo((cocoLow + 1) / 2, 10),
      map75: expect.closeTo((cocoLow + 1) / 2, 10),
      precision: expect.closeTo(5 / 6, 12),
      recall: expect.closeTo(1, 12),
      f1: expect.closeTo(0.9, 12),
      confidence: grid(599),
      // The three true positives at that confidence: IoU 1, 0.82, 1.
      localisationError: expect.closeTo(1 - 2.82 / 3, 8),
      'ap.0': expect.closeTo(cocoClass0, 10),
      'ap50.0': expect.closeTo(cocoLow, 10),
      'precision.0': expect.closeTo(2 / 3, 12),
      'recall.0': expect.closeTo(1, 12),
      'ap.1': expect.closeTo(1, 10),
      'ap50.1': expect.closeTo(1, 10),
      'precision.1': 1,
      'recall.1': expect.closeTo(1, 12),
    });
  });

  it('leaves per-class keys out when asked', () => {
    expect(Object.keys(new CocoMapMetric({ f1Smoothing: 0.1, perClass: false }).evaluate([DETECTIONS], [TRUTHS])).sort()).toEqual(
      ['confidence', 'f1', 'localisationError', 'map', 'map50', 'map75', 'precision', 'recall'],
    );
  });
});

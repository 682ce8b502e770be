/**
 * TensorRT's INT8 calibration cache (the text `trtexec --calib=<file>` and `IInt8Calibrator::
 * readCalibrationCache` take): a header `TRT-<version>-<calibrator>`, then one `<tensor>: <scale>`
 * line per tensor, the scale (amax / 127) written as the hex of its float32 bits. TensorRT ignores a
 * cache whose version or calibrator differs from its own (and calibrates again).
 */
export interface CalibrationCache {
  /** TensorRT's version number, as NV_TENSORRT_VERSION spells it: 8.6.1 -> 8601, 10.0.1 -> 10001. */
  readonly version: number;
  readonly calibrator: string;
  /** Scale (amax / 127) by tensor name, in file order. */
  readonly scales: ReadonlyMap<string, number>;
}

export const ENTROPY_CALIBRATOR_2 = 'EntropyCalibration2';

/** `8.6.1` -> 8601 (major * 1000 + minor * 100 + patch, TensorRT's NV_TENSORRT_VERSION below 10; 10.x keeps the formula). */
export function tensorRtVersionNumber(version: string): number {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version);
  if (!match) throw new Error(`TensorRT version '${version}': expected major.minor[.patch], e.g. 8.6.1`);
  return Number(match[1]) * 1000 + Number(match[2]) * 100 + Number(match[3] ?? 0);
}

/** The float32 bits of `scale` as 8 lower-case hex digits (`0.0078125` -> `3c000000`). */
export function scaleToHex(scale: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, scale);
  return view.getUint32(0).toString(16).padStart(8, '0');
}

export function hexToScale(hex: string): number {
  if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) throw new Error(`'${hex}' is not the hex of a float32`);
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, Number.parseInt(hex, 16));
  return view.getFloat32(0);
}

export function writeCalibrationCache(cache: CalibrationCache): string {
  const lines = [`TRT-${cache.version}-${cache.calibrator}`];
  for (const [name, scale] of cache.scales) {
    if (name.includes('\n')) throw new Error(`tensor name ${JSON.stringify(name)} cannot go into a calibration cache line`);
    lines.push(`${name}: ${scaleToHex(scale)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reads a cache back; errors name `source` and the line. */
export function parseCalibrationCache(text: string, source = '<calibration cache>'): CalibrationCache {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = /^TRT-(\d+)-(\w+)$/.exec(lines[0] ?? '');
  if (!header) throw new Error(`${source}:1: expected a header TRT-<version>-<calibrator>, found '${lines[0] ?? ''}'`);
  const scales = new Map<string, number>();
  lines.slice(1).forEach((line, i) => {
    // Tensor names may hold ': ' themselves; the scale is after the last one.
    const at = line.lastIndexOf(': ');
    if (at < 0) throw new Error(`${source}:${i + 2}: expected '<tensor>: <hex scale>', found '${line}'`);
    try {
      scales.set(line.slice(0, at), hexToScale(line.slice(at + 2).trim()));
    } catch (error) {
      throw new Error(`${source}:${i + 2}: ${(error as Error).message}`);
    }
  });
  return { version: Number(header[1]), calibrator: header[2] as string, scales };
}

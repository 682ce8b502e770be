import { checkYoloDataset, formatDataCheck, type DataCheckReport, type ImageVerification } from '@yolo-distill/data';
import { EXIT, type CliIO } from '../cli-io.js';

/** The flags of `yolo-distill data check <root>`. */
export interface DataCheckOptions {
  /** Print the report as JSON (stdout) instead of tables. */
  readonly json?: boolean;
  /** How much of each image to read: `decode` (default: finds truncated files), `header` (fast) or `none` (labels only). */
  readonly images?: string;
}

const VERIFICATIONS: readonly ImageVerification[] = ['decode', 'header', 'none'];

/**
 * `yolo-distill data check <root>`: counts images, objects and background per split and objects per
 * class of a YOLO folder (`root` holds data.yaml, or is the dataset YAML), and prints every problem
 * as `file:line: what`. Exit 0 when clean, 2 when there are problems or `root` is not a YOLO dataset.
 */
export async function dataCheckCommand(root: string, options: DataCheckOptions, io: CliIO): Promise<number> {
  const images = (options.images ?? 'decode') as ImageVerification;
  if (!VERIFICATIONS.includes(images)) {
    io.stderr(`error: --images: expected one of ${VERIFICATIONS.join(', ')}, found '${options.images}'\n`);
    return EXIT.badInput;
  }
  let report: DataCheckReport;
  try {
    if (!options.json && images === 'decode') io.stderr(`checking ${root}: reading every label file and decoding every image\n`);
    report = await checkYoloDataset(root, { verifyImages: images });
  } catch (error) {
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.badInput;
  }
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDataCheck(report, Number.POSITIVE_INFINITY)}\n`);
  return report.problems.length > 0 ? EXIT.badInput : EXIT.ok;
}

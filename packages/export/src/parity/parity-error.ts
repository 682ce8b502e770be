import { differenceLabel, type ParityReport } from './check-parity.js';

/** An export whose outputs differ from the tfjs model's: nothing was written under its name. */
export class ParityError extends Error {
  override readonly name = 'ParityError';
  constructor(
    readonly report: ParityReport,
    file: string,
  ) {
    const worst = report.worst;
    const figures = worst.note ?? `${differenceLabel(report)} ${worst.maxAbsError.toExponential(2)} = ${worst.relativeError.toExponential(2)} x max|tfjs| (${worst.maxAbsReference.toPrecision(4)}), limit ${report.tolerance.toExponential(0)}`;
    super(`${file}: parity check failed, not written: output '${worst.name}': ${figures}`);
  }
}

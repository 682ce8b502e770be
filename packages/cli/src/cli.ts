import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, PluginRegistry, type Plugin } from '@yolo-distill/core';
import { builtinPlugins } from './builtin-plugins.js';
import { EXIT, processIO, type CliIO } from './cli-io.js';
import { dataCheckCommand, type DataCheckOptions } from './commands/data-check-command.js';
import { demoCommand } from './demo/demo-command.js';
import { diagnoseCommand } from './commands/diagnose-command.js';
import { dataSynthCommand, type DataSynthOptions } from './commands/data-synth-command.js';
import { evalPredictionsCommand, type EvalPredictionsOptions } from './commands/eval-command.js';
import { evalModelCommand, type EvalModelOptions } from './commands/eval-model-command.js';
import { exportCommand, type ExportOptions } from './commands/export-command.js';
import { pluginsCommand } from './commands/plugins-command.js';
import { predictCommand, type PredictOptions } from './commands/predict-command.js';
import { reportCommand, type ReportOptions } from './commands/report-command.js';
import { runCommand } from './commands/run-command.js';
import { sweepCommand, sweepReportCommand, sweepRunOneCommand } from './commands/sweep-command.js';
import { validateCommand } from './commands/validate-command.js';
import { workerCommand } from './commands/worker-command.js';

export const CLI_VERSION = '0.1.0';

export interface CliOptions {
  readonly io?: CliIO;
  readonly plugins?: readonly Plugin[];
  readonly signal?: AbortSignal;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} expects a positive integer, got '${value}'`);
  return n;
}

/** Runs the `yolo-distill` command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const io = options.io ?? processIO;
  const registry = new PluginRegistry(options.plugins ?? builtinPlugins());
  let exitCode: number = EXIT.ok;

  const program = new Command('yolo-distill')
    .description('Distil, prune, quantize and export YOLO detectors with YAML pipelines of plugins.')
    .version(CLI_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  program
    .command('validate')
    .description('check a pipeline: load, validate and build every plugin, dry-run its stages on a blank batch, then print its outline')
    .argument('<pipeline>', 'pipeline YAML file')
    .option('--set <key=value>', 'override a key, e.g. stages[0].epochs=2 (repeatable)', collect, [])
    .option('--no-dry-run', 'skip the stages\' dry runs (a blank batch through teacher, student and losses)')
    .action(async (file: string, flags: { set: string[]; dryRun: boolean }) => {
      exitCode = await validateCommand(file, { overrides: flags.set, dryRun: flags.dryRun }, registry, io);
    });

  program
    .command('diagnose')
    .description("measure a distillation stage's terms on real batches: value, gradient norm, ratio and cosine to the native loss's gradient, where the mass lies")
    .argument('<pipeline>', 'pipeline YAML file')
    .option('--set <key=value>', 'override a key, e.g. stages[0].epochs=2 (repeatable)', collect, [])
    .option('--batches <n>', 'training batches to measure', (v) => positiveInt(v, '--batches'), 4)
    .option('--stage <name|index>', 'the stage to diagnose (default: the first distillation stage)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, flags: { set: string[]; batches: number; stage?: string; json?: boolean }) => {
      exitCode = await diagnoseCommand(file, { overrides: flags.set, batches: flags.batches, json: flags.json === true, ...(flags.stage !== undefined ? { stage: flags.stage } : {}) }, registry, io);
    });

  program
    .command('run')
    .description('run a pipeline, writing runs/<name>/ (config.resolved.yaml, events.jsonl, checkpoints, metrics.json, results.csv)')
    .argument('<pipeline>', 'pipeline YAML file')
    .option('--set <key=value>', 'override a key, e.g. stages[0].epochs=2 (repeatable)', collect, [])
    .option('--resume [folder]', "continue the newest run of this pipeline (or the run in <folder>) from its last checkpoint, with the run's own settings")
    .option('--quiet', 'no progress output (errors and the closing line only)')
    .option('--json', 'every run event as one JSON line on stdout instead of progress on stderr')
    .option('--no-report', 'do not write report.html and plots/ at the end')
    .action(async (file: string, flags: { set: string[]; resume?: boolean | string; quiet?: boolean; json?: boolean; report: boolean }) => {
      if (flags.quiet && flags.json) {
        io.stderr('error: give --quiet or --json, not both\n');
        exitCode = EXIT.badInput;
        return;
      }
      const progress = flags.json ? 'json' : flags.quiet ? 'quiet' : 'auto';
      exitCode = await runCommand(
        file,
        { overrides: flags.set, progress, report: flags.report, ...(flags.resume !== undefined ? { resume: flags.resume } : {}), ...(options.signal ? { signal: options.signal } : {}) },
        registry,
        io,
      );
    });

  const sweep = program
    .command('sweep')
    .description('run a sweep file (a base pipeline, variants of --set overrides and/or a grid, seeds) as named runs <sweep>-<variant>-seed<n> in one shared runs folder: completed runs are skipped, begun ones resumed')
    .argument('<sweep>', 'sweep YAML file')
    .option('--local <n>', 'local processes at once (the default, 1)', (v) => positiveInt(v, '--local'))
    .option('--queue <redis-url>', 'put the runs on a BullMQ queue at redis://host:port for `yolo-distill worker`s instead of running them here')
    .option('--queue-name <name>', 'the queue (default yolo-distill-runs)')
    .option('--list', 'print every run, its state and its overrides; run nothing')
    .action(async (file: string, flags: { local?: number; queue?: string; queueName?: string; list?: boolean }) => {
      if (flags.local !== undefined && flags.queue !== undefined) {
        io.stderr('error: give --local or --queue, not both\n');
        exitCode = EXIT.badInput;
        return;
      }
      exitCode = await sweepCommand(file, { ...flags, ...(options.signal ? { signal: options.signal } : {}) }, registry, io);
    });
  sweep
    .command('report')
    .description('one table of every variant of a sweep: each metric (mAP@0.5, mAP@0.5:0.95 by default) as mean and 95% CI over the seeds, and gains paired by seed against the baseline; markdown on stdout, <runs>/<sweep>.report.{json,md,html}')
    .argument('<sweep>', 'sweep YAML file')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      exitCode = await sweepReportCommand(file, flags, io);
    });
  sweep
    .command('run-one', { hidden: true })
    .description('one run of a sweep in this process (what --local starts)')
    .argument('<sweep>', 'sweep YAML file')
    .argument('<run>', 'the run\'s name')
    .action(async (file: string, run: string) => {
      exitCode = await sweepRunOneCommand(file, run, registry, io, options.signal);
    });

  program
    .command('worker')
    .description('take runs off a BullMQ queue and run each as a normal resumable run into the shared runs folder, one at a time; a worker that dies leaves its run to another, which resumes it from its last checkpoint')
    .requiredOption('--queue <redis-url>', 'the queue\'s Redis, redis://host:port')
    .option('--queue-name <name>', 'the queue (default yolo-distill-runs)')
    .option('--runs <folder>', 'the shared runs folder as this machine sees it (default: the path the sweep was started with)')
    .option('--drain', 'exit once the queue has nothing waiting or running')
    .option('--lock-ms <ms>', 'how long a run stays this worker\'s without a heartbeat (BullMQ lock; default 60000): a worker silent that long is taken as dead', (v) => positiveInt(v, '--lock-ms'))
    .action(async (flags: { queue: string; queueName?: string; runs?: string; drain?: boolean; lockMs?: number }) => {
      exitCode = await workerCommand({ ...flags, ...(options.signal ? { signal: options.signal } : {}) }, registry, io);
    });

  const data = program.command('data').description('make and check datasets');
  data
    .command('synth')
    .description('write the synthetic shapes dataset (a YOLO folder) for offline demos and tests')
    .option('--out <folder>', 'where to write it', 'datasets/shapes')
    .option('--classes <n|names>', 'number of classes, or comma-separated shape names')
    .option('--train <n>', 'training images')
    .option('--val <n>', 'validation images')
    .option('--imgsz <px>', 'image size')
    .option('--seed <n>', 'generator seed')
    .action(async (flags: DataSynthOptions) => {
      exitCode = await dataSynthCommand(flags, io);
    });
  data
    .command('check')
    .description('count images, objects and classes of a YOLO dataset and list every problem (file:line)')
    .argument('<root>', 'the folder holding data.yaml, or the dataset YAML')
    .option('--json', 'print the report as JSON')
    .option('--images <how>', 'read images: decode (default), header or none')
    .action(async (root: string, flags: DataCheckOptions) => {
      exitCode = await dataCheckCommand(root, flags, io);
    });

  program
    .command('eval')
    .description('score a model (a checkpoint or run folder, or an ONNX detector), or saved predictions, on a YOLO dataset split: COCO mAP, per-class AP, P/R at the best-F1 confidence')
    .argument('[model]', 'a checkpoint folder, a run folder or an Ultralytics-style ONNX detector to run (omit with --predictions)')
    .requiredOption('--data <root>', 'YOLO dataset folder holding data.yaml')
    .option('--predictions <path>', 'score saved predictions instead: a folder of YOLO txt files (cls cx cy w h score) or a COCO results .json')
    .option('--split <split>', 'train or val', 'val')
    .option('--category-base <n>', 'COCO json: category_id of class 0', '0')
    .option('--conf <threshold>', 'model: NMS confidence threshold', '0.001')
    .option('--iou <threshold>', 'model: NMS IoU threshold', '0.6')
    .option('--imgsz <px>', "model: input size (default the ONNX input's, or the run's data's)")
    .option('--json', 'print the report as JSON')
    .action(async (model: string | undefined, flags: Omit<EvalPredictionsOptions, 'predictions'> & EvalModelOptions & { predictions?: string }) => {
      if (model !== undefined && flags.predictions !== undefined) {
        io.stderr('error: give a model or --predictions, not both\n');
        exitCode = EXIT.badInput;
      } else if (model !== undefined) exitCode = await evalModelCommand(model, flags, registry, io);
      else if (flags.predictions !== undefined) exitCode = await evalPredictionsCommand({ ...flags, predictions: flags.predictions }, io);
      else {
        io.stderr('error: eval needs a model (a checkpoint or run folder, or an .onnx file) or --predictions <folder|json>\n');
        exitCode = EXIT.badInput;
      }
    });

  program
    .command('export')
    .description("write a trained student as ONNX or a TF.js graph model, checked (onnxruntime / tf.loadGraphModel) against the tfjs model on the run's images (max|export-tfjs| <= 1e-4 max|tfjs|)")
    .argument('<model>', 'a checkpoint folder (meta.json + tensors.bin) or a run folder (its latest checkpoint)')
    .option('--format <format>', 'onnx, tfjs, tensorrt (static ONNX for TensorRT) or npu (static ONNX checked against --profile)', 'onnx')
    .option('--out <path>', 'the file to write (default <run>/export/<model>.onnx; tfjs: the folder <run>/export/<model>_web_model)')
    .option('--opset <n>', 'ONNX: 13 or 17', '13')
    .option('--dynamic', 'a symbolic batch dimension')
    .option('--raw', 'the raw head only (no decode in the graph)')
    .option('--nms [kind]', "NMS in the graph: onnx (default; NonMaxSuppression, output detections [K, 7] = batch, x1, y1, x2, y2, score, class) or trt (TensorRT's EfficientNMS_TRT: num_dets, det_boxes, det_scores, det_classes)")
    .option('--conf <threshold>', 'with --nms: score threshold', '0.25')
    .option('--iou <threshold>', 'with --nms: IoU threshold', '0.45')
    .option('--imgsz <px>', "input size (default the data's)")
    .option('--images <n>', 'images of the parity check', '4')
    .option('--int8', 'tensorrt: also write the INT8 calibration cache (entropy) and print trtexec --int8 --calib')
    .option('--trt-version <version>', 'tensorrt --int8: the TensorRT version the cache header names', '8.6.1')
    .option('--calib-images <n>', 'tensorrt --int8: training images to calibrate on', '256')
    .option('--profile <name>', 'npu: tinpu, ethos-u55-256 or ethos-u55-128')
    .action(async (model: string, flags: ExportOptions) => {
      exitCode = await exportCommand(model, flags, registry, io);
    });

  program
    .command('predict')
    .description('run a model on images: boxes drawn, YOLO txt with confidences (as Ultralytics save_txt + save_conf), counts and time per image')
    .argument('<model>', 'a checkpoint folder, a run folder or an ONNX export')
    .argument('<source>', 'an image, a folder of images or a pattern like images/*.jpg')
    .option('--conf <threshold>', 'confidence threshold', '0.25')
    .option('--iou <threshold>', 'NMS IoU threshold', '0.7')
    .option('--imgsz <px>', "input size (default the model's: the ONNX input, or the run's data)")
    .option('--out <folder>', 'where to write the images and labels/', 'runs/predict')
    .action(async (model: string, source: string, flags: PredictOptions) => {
      exitCode = await predictCommand(model, source, flags, registry, io);
    });

  program
    .command('report')
    .description("write <run>/report.html (self-contained: loss and validation curves, before/after table, guard rails, PR/F1 curves, confusion matrix, sample images) and the plots as <run>/plots/*.svg with their Vega-Lite specs")
    .argument('<run>', 'a run folder (holding events.jsonl and config.resolved.yaml)')
    .option('--samples <n>', 'validation images drawn with their true and predicted boxes', '4')
    .option('--no-eval', "skip evaluating the final student (no PR/F1 curves, confusion matrix or samples)")
    .action(async (folder: string, flags: ReportOptions) => {
      exitCode = await reportCommand(folder, flags, registry, io);
    });

  program
    .command('demo')
    .description('the whole job offline: distil a YOLOv5s teacher into a YOLOv5n beside a plain fine-tune, compress it (every stage this install has), score every model and print the closing table')
    .option('--fast', 'tiny data and a few steps from scratch (CI: checks the machinery, not the result)')
    .option('--out <folder>', 'where the pipelines, data and runs go (default runs/demo, runs/demo-fast)')
    .action(async (flags: { fast?: boolean; out?: string }) => {
      exitCode = await demoCommand({ ...flags, ...(options.signal ? { signal: options.signal } : {}) }, registry, io);
    });

  program
    .command('plugins')
    .description('list every plugin type a pipeline can name')
    .option('--markdown', 'print the pipeline reference (every type with its fields, defaults and meaning) as markdown')
    .action((flags: { markdown?: boolean }) => {
      exitCode = pluginsCommand(registry, io, { markdown: flags.markdown === true });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io, options.signal);
  }
}

function reportError(error: unknown, io: CliIO, signal: AbortSignal | undefined): number {
  if (error instanceof CommanderError) {
    // Help and version end through the override too; they are not failures.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.badInput;
  }
  if (error instanceof ConfigError) {
    io.stderr(`${error.message}\n`);
    return EXIT.badInput;
  }
  if (signal?.aborted) {
    io.stderr('interrupted; resume with --resume\n');
    return EXIT.interrupted;
  }
  io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}

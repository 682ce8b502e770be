import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { closestMatch, ConfigError, ConfigLocation, formatPath, parseWith, type ConfigPath } from '@yolo-distill/core';
import { parseActivation, SILU, type Activation } from '../modules/activation.js';
import { ModuleArgs, show } from '../modules/module-args.js';
import { scaleRepeats, type ModuleEntry, type Scaling } from '../modules/module-entry.js';
import { ModuleRegistry } from '../modules/module-registry.js';
import type { LayerSpec, ModelSpec } from './model-spec.js';
import { YamlPositions } from './yaml-positions.js';

export interface ModelYamlOptions {
  /** The modules rows may name (a version's explicit list, e.g. `YOLOV5_MODULES`). */
  readonly modules: ModuleRegistry | readonly ModuleEntry[];
  /** Key of `scales` to build (`n`, `s`, ...); defaults to the YAML's `scale:` key. */
  readonly scale?: string;
  /** Overrides the YAML's `nc` (as Ultralytics does when given `nc=`). */
  readonly numClasses?: number;
}

const scaleRow = z.union([z.tuple([z.number().positive(), z.number().positive()]), z.tuple([z.number().positive(), z.number().positive(), z.number().int().positive()])]);

const modelYamlSchema = z
  .object({
    nc: z.number().int().positive().optional(),
    scales: z.record(z.string(), scaleRow).optional(),
    scale: z.string().optional(),
    depth_multiple: z.number().positive().optional(),
    width_multiple: z.number().positive().optional(),
    max_channels: z.number().int().positive().optional(),
    channel_multiple: z.number().int().positive().optional(),
    anchors: z.unknown().optional(),
    activation: z.string().optional(),
    ch: z.number().int().positive().optional(),
    backbone: z.array(z.unknown()).min(1),
    head: z.array(z.unknown()).min(1),
  })
  .strict();

type ModelYaml = z.output<typeof modelYamlSchema>;

/** Reads and parses an Ultralytics model YAML file (see {@link parseModelYaml}). */
export async function loadModelYaml(file: string, options: ModelYamlOptions): Promise<ModelSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([{ position: { file, line: 1, col: 1 }, path: [], message: `cannot read model YAML: ${reason}` }]);
  }
  return parseModelYaml(text, file, options);
}

/**
 * Parses an Ultralytics model YAML: `backbone`/`head` rows `[from, repeats, module, args]`, `nc`,
 * `depth_multiple`/`width_multiple`/`max_channels` or `scales: {n: [depth, width, max_channels]}`,
 * `anchors`, `activation`. Every row is checked and its channels, repeats and stride worked out by its
 * module's own rules. Errors are ConfigErrors: `file:line:col: head[3][2]: unknown module 'C4' ...`.
 */
export function parseModelYaml(text: string, file: string, options: ModelYamlOptions): ModelSpec {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { position: { file, line, col }, path: [], message: `YAML syntax error: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}` };
      }),
    );
  }
  const root = new ConfigLocation(new YamlPositions(file, document, lines));
  const raw: unknown = document.toJS();
  if (raw === null || raw === undefined) throw root.error('the model YAML is empty: expected a mapping with `backbone:` and `head:`');
  const yaml = parseWith(modelYamlSchema, raw, root);
  const modules = options.modules instanceof ModuleRegistry ? options.modules : new ModuleRegistry('custom', options.modules);
  return new ModelYamlParser(file, yaml, root, modules, options).parse();
}

class ModelYamlParser {
  private readonly layers: LayerSpec[] = [];
  private readonly numClasses: number;
  private readonly scale: string | undefined;
  private readonly scaling: Scaling;
  private readonly activation: Activation;
  private readonly inputChannels: number;

  constructor(
    private readonly file: string,
    private readonly yaml: ModelYaml,
    private readonly root: ConfigLocation,
    private readonly modules: ModuleRegistry,
    options: ModelYamlOptions,
  ) {
    this.numClasses = options.numClasses ?? yaml.nc ?? 80;
    if (!Number.isInteger(this.numClasses) || this.numClasses < 1) throw root.error(`the class count must be a positive integer, found ${this.numClasses}`);
    const { scale, scaling } = this.readScaling(options.scale ?? yaml.scale);
    this.scale = scale;
    this.scaling = scaling;
    this.activation = this.readActivation();
    this.inputChannels = yaml.ch ?? 3;
  }

  parse(): ModelSpec {
    const rows: { section: 'backbone' | 'head'; position: number; row: unknown }[] = [
      ...this.yaml.backbone.map((row, position) => ({ section: 'backbone' as const, position, row })),
      ...this.yaml.head.map((row, position) => ({ section: 'head' as const, position, row })),
    ];
    for (const [index, { section, position, row }] of rows.entries()) {
      this.layers.push(this.parseRow(index, section, position, row, index === rows.length - 1));
    }
    const last = this.layers[this.layers.length - 1] as LayerSpec;
    if (last.module.role !== 'head') {
      throw this.root.child('head').error(`the last row must be a detection head (${this.headModuleNames().join(', ')}), found ${last.module.name}`);
    }
    return {
      file: this.file,
      numClasses: this.numClasses,
      scale: this.scale,
      scaling: this.scaling,
      activation: this.activation,
      inputChannels: this.inputChannels,
      backboneLength: this.yaml.backbone.length,
      layers: this.layers,
    };
  }

  private readScaling(requested: string | undefined): { scale: string | undefined; scaling: Scaling } {
    const { scales } = this.yaml;
    const divisor = this.yaml.channel_multiple ?? 8;
    if (scales) {
      const known = Object.keys(scales);
      if (requested === undefined) throw this.root.child('scales').error(`the YAML has scales ${known.join(', ')}: choose one (the 'scale' option)`, 'key');
      const row = scales[requested];
      if (!row) {
        const hint = closestMatch(requested, known);
        throw this.root.child('scales').error(`unknown scale '${requested}'${hint ? ` (did you mean '${hint}'?)` : ''}; the YAML defines ${known.join(', ')}`, 'key');
      }
      const [depth, width, maxChannels = this.yaml.max_channels ?? Infinity] = row;
      return { scale: requested, scaling: { depth, width, maxChannels, divisor } };
    }
    if (requested !== undefined && this.yaml.scale === undefined) {
      throw this.root.error(`scale '${requested}' was asked for but the YAML has no 'scales:' (it fixes depth_multiple/width_multiple itself)`);
    }
    return {
      scale: requested,
      scaling: { depth: this.yaml.depth_multiple ?? 1, width: this.yaml.width_multiple ?? 1, maxChannels: this.yaml.max_channels ?? Infinity, divisor },
    };
  }

  private readActivation(): Activation {
    const text = this.yaml.activation;
    if (text === undefined) return SILU;
    const activation = parseActivation(text);
    if (!activation) throw this.root.child('activation').error(`unsupported activation '${text}'; use nn.SiLU(), nn.LeakyReLU(0.1), nn.ReLU() or nn.Identity()`);
    return activation;
  }

  private headModuleNames(): string[] {
    return this.modules.names().filter((name) => this.modules.get(name)?.role === 'head');
  }

  private parseRow(index: number, section: 'backbone' | 'head', position: number, row: unknown, isLast: boolean): LayerSpec {
    const path: ConfigPath = [section, position];
    const at = this.root.child(section).child(position);
    const rowName = formatPath(path);
    const { line, col } = at.source.positionOf(path);
    const where = `${this.file}:${line}:${col}`;
    if (!Array.isArray(row) || row.length !== 4) {
      throw at.error(`layer ${index}: a row is [from, repeats, module, args], found ${Array.isArray(row) ? `a list of ${row.length}` : show(row)}`);
    }
    const [rawFrom, rawRepeats, rawModule, rawArgs] = row as [unknown, unknown, unknown, unknown];

    if (typeof rawModule !== 'string') throw at.child(2).error(`layer ${index}: the module must be a name like Conv, found ${show(rawModule)}`);
    const module = this.modules.get(rawModule);
    if (!module) {
      const known = this.modules.names();
      const hint = closestMatch(rawModule, known);
      throw at.child(2).error(`layer ${index}: unknown module '${rawModule}'${hint ? ` (did you mean '${hint}'?)` : ''}; known modules: ${known.join(', ')}`);
    }
    if (module.role === 'head' && !isLast) throw at.child(2).error(`layer ${index}: the detection head ${module.name} must be the last row`);
    if (module.role === 'head' && rawRepeats !== 1) throw at.child(1).error(`layer ${index}: the detection head ${module.name} cannot repeat (repeats must be 1, found ${show(rawRepeats)})`);

    const from = this.resolveFrom(index, rawFrom, at.child(0), module);
    if (typeof rawRepeats !== 'number' || !Number.isInteger(rawRepeats) || rawRepeats < 1) {
      throw at.child(1).error(`layer ${index}: repeats must be an integer >= 1, found ${show(rawRepeats)}`);
    }
    if (!Array.isArray(rawArgs)) throw at.child(3).error(`layer ${index}: args must be a list like [64, 3, 2], found ${show(rawArgs)}`);

    const args = new ModuleArgs(module.name, module.signature, rawArgs.map((value) => this.resolveSymbol(value)), at.child(3));
    const parsed = module.parseArgs(args, { inputCount: from.length });
    const inputChannels = from.map((f) => (f === -1 ? this.inputChannels : (this.layers[f] as LayerSpec).outputChannels));
    const inputStrides = from.map((f) => (f === -1 ? 1 : (this.layers[f] as LayerSpec).stride));
    const scaled = scaleRepeats(rawRepeats, this.scaling);
    let outputChannels: number;
    let stride: number;
    try {
      outputChannels = module.outputChannels(parsed, inputChannels, this.scaling);
      stride = module.outputStride(parsed, inputStrides);
      if (module.repeat === 'stacked' && scaled > 1) {
        if (inputChannels[0] !== outputChannels) {
          throw new Error(`${scaled} stacked ${module.name} copies need equal input and output channels, found ${inputChannels[0]} -> ${outputChannels}`);
        }
        stride = Array.from({ length: scaled - 1 }).reduce<number>((s) => module.outputStride(parsed, [s]), stride);
      }
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw at.error(`layer ${index}: ${(error as Error).message}`);
    }
    return {
      index,
      section,
      row: rowName,
      where,
      from,
      repeats: scaled,
      module,
      args: parsed,
      inputChannels,
      outputChannels,
      inputStrides,
      stride,
    };
  }

  /** `from` as absolute row indexes (-1 = the image); only earlier rows, never the head. */
  private resolveFrom(index: number, raw: unknown, at: ConfigLocation, module: ModuleEntry): number[] {
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) throw at.error(`layer ${index}: 'from' lists no input`);
    if (module.inputs === 'single' && (Array.isArray(raw) ? raw.length !== 1 : false)) {
      throw at.error(`layer ${index}: ${module.name} takes one input, but 'from' lists ${list.length}`);
    }
    return list.map((value, i) => {
      const place = Array.isArray(raw) ? at.child(i) : at;
      if (typeof value !== 'number' || !Number.isInteger(value)) throw place.error(`layer ${index}: 'from' must be a row index like -1 or 6, found ${show(value)}`);
      if (value === -1) return index === 0 ? -1 : index - 1;
      const resolved = value < 0 ? index + value : value;
      const range = index === 0 ? 'only -1 (the image)' : `-1..-${index} or 0..${index - 1}`;
      if (resolved === index) throw place.error(`layer ${index}: 'from' ${value} refers to the row itself; a row can only use earlier rows (${range})`);
      if (resolved > index) throw place.error(`layer ${index}: 'from' ${value} refers forward to layer ${resolved}; a row can only use earlier rows (${range})`);
      if (resolved < 0) throw place.error(`layer ${index}: 'from' ${value} is out of range; there are only ${index} earlier row(s) (${range})`);
      return resolved;
    });
  }

  /** Ultralytics evaluates string args: `nc`, `anchors` and `None` are the ones its YAMLs use. */
  private resolveSymbol(value: unknown): unknown {
    if (value === 'nc') return this.numClasses;
    if (value === 'anchors') return this.yaml.anchors;
    if (value === 'None') return null;
    if (value === 'True') return true;
    if (value === 'False') return false;
    return value;
  }
}

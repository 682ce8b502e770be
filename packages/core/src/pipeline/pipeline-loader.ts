import { basename, extname } from 'node:path';
import { ConfigLocation } from '../config/config-location.js';
import { collectProblems, ConfigError } from '../config/config-error.js';
import { describeFound } from '../config/describe-value.js';
import { parseWith } from '../config/parse-with.js';
import { loadYamlFile, parseYamlText, type LoadedYaml, type YamlLoadOptions } from '../config/yaml-loader.js';
import type { Stage } from '../contracts/stage.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import type { PluginRef } from '../plugins/plugin.js';
import { pipelineSchema, stageNameSchema } from './pipeline-schema.js';
import type { PipelineSpec, StageSpec } from './pipeline-spec.js';

/** Reads, resolves and validates a pipeline file; throws one ConfigError listing every problem. */
export async function loadPipeline(file: string, registry: PluginRegistry, options: YamlLoadOptions = {}): Promise<PipelineSpec> {
  return specFromYaml(await loadYamlFile(file, options), registry);
}

/** As `loadPipeline`, from text already in memory (`file` names it in errors). */
export function parsePipeline(text: string, file: string, registry: PluginRegistry, options: YamlLoadOptions = {}): PipelineSpec {
  return specFromYaml(parseYamlText(text, file, options), registry);
}

function specFromYaml(loaded: LoadedYaml, registry: PluginRegistry): PipelineSpec {
  const root = new ConfigLocation(loaded.source, [], registry);
  const { value } = loaded;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw root.error(`expected a mapping with at least 'stages:' at the top of the pipeline, found ${describeFound(value)}`);
  }
  const top = parseWith(pipelineSchema, value, root);
  const raw = value as Record<string, unknown>;

  const checks = {
    data: () => (raw.data === undefined ? undefined : root.child('data').plugin<never>('dataset', raw.data)),
    teacher: () => (raw.teacher === undefined ? undefined : root.child('teacher').plugin<never>(['teacher', 'model'], raw.teacher)),
    student: () => (raw.student === undefined ? undefined : root.child('student').plugin<never>('model', raw.student)),
  };
  const slots = collectProblems([checks.data, checks.teacher, checks.student]);
  const stages = collectProblems(top.stages.map((node, index) => () => parseStage(node, root.child('stages').child(index), index)));
  const errors = [slots.error, stages.error].filter((error): error is ConfigError => error !== undefined);
  const duplicate = findDuplicateName(stages.results, root);
  if (duplicate) errors.push(duplicate);
  if (errors.length > 0) throw ConfigError.merge(errors);

  const [data, teacher, student] = slots.results as [PipelineSpec['data'], PipelineSpec['teacher'], PipelineSpec['student']];
  return {
    file: loaded.source.file,
    name: top.name ?? basename(loaded.source.file, extname(loaded.source.file)),
    seed: top.seed,
    backend: top.backend,
    runsDir: top.runs,
    ...(data ? { data } : {}),
    ...(teacher ? { teacher } : {}),
    ...(student ? { student } : {}),
    stages: stages.results,
    resolvedText: loaded.resolvedText,
  };
}

function defaultStageName(type: string, index: number): string {
  const short = type.slice(type.lastIndexOf('.') + 1);
  return `${index}-${short.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

function parseStage(node: unknown, at: ConfigLocation, index: number): StageSpec {
  let name: string | undefined;
  let rest = node;
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && 'name' in node) {
    const { name: rawName, ...others } = node as Record<string, unknown>;
    name = parseWith(stageNameSchema, rawName, at.child('name'));
    rest = others;
  }
  const ref: PluginRef<Stage> = at.plugin<Stage>('stage', rest);
  return { name: name ?? defaultStageName(ref.type, index), ref };
}

function findDuplicateName(stages: readonly StageSpec[], root: ConfigLocation): ConfigError | undefined {
  const seen = new Map<string, number>();
  for (const [index, stage] of stages.entries()) {
    const first = seen.get(stage.name);
    if (first !== undefined) {
      return root.child('stages').child(index).child('name').error(`stage name '${stage.name}' is already used by stages[${first}]; names must be unique (they name checkpoints)`);
    }
    seen.set(stage.name, index);
  }
  return undefined;
}

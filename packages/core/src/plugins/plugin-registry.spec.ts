import { container, type DependencyContainer } from 'tsyringe';
import { ConfigError } from '../config/config-error.js';
import { ConfigLocation } from '../config/config-location.js';
import { parseYamlText } from '../config/yaml-loader.js';
import type { DistillLoss } from '../contracts/distill-loss.js';
import { testPlugin, testRegistry, type TestTrainStage } from '../test-support/test-plugins.js';
import { PluginRegistry } from './plugin-registry.js';
import { PluginRef, type Plugin, type PluginDescriptor, type PluginKind } from './plugin.js';

const descriptor = (type: string, kind: PluginKind = 'loss', create: PluginDescriptor['create'] = () => ({})): PluginDescriptor => ({
  type,
  kind,
  summary: type,
  parse: (raw) => raw,
  create,
});
const plugin = (name: string, ...descriptors: PluginDescriptor[]): Plugin => ({ meta: { name, version: '1.0.0' }, descriptors });

/** The YAML node at `path` of `text`, with its location in a registry-backed config. */
function nodeAt(text: string, registry: PluginRegistry, ...path: (string | number)[]): { raw: unknown; at: ConfigLocation } {
  const loaded = parseYamlText(text, 'p.yaml', { env: {} });
  let raw: unknown = loaded.value;
  let at = new ConfigLocation(loaded.source, [], registry);
  for (const segment of path) {
    raw = (raw as Record<string | number, unknown>)[segment];
    at = at.child(segment);
  }
  return { raw, at };
}

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('PluginRegistry', () => {
  describe('register', () => {
    it('registers every descriptor of the plugins it is given', () => {
      const registry = testRegistry();
      expect(registry.registeredPlugins()).toEqual([testPlugin]);
      expect(registry.types()).toEqual([
        'test.ExportOnnx',
        'test.FeatureL2',
        'test.HeadKL',
        'test.Model',
        'test.Mosaic',
        'test.OnnxTeacher',
        'test.Shapes',
        'test.Train',
      ]);
      expect(registry.types('loss')).toEqual(['test.FeatureL2', 'test.HeadKL']);
      expect(registry.types(['teacher', 'model'])).toEqual(['test.Model', 'test.OnnxTeacher']);
      expect(registry.types('metric')).toEqual([]);
      expect(registry.descriptor('test.Train')?.kind).toBe('stage');
      expect(registry.descriptor('test.Nope')).toBeUndefined();
    });

    it('chains and keeps plugins in order', () => {
      const a = plugin('a', descriptor('a.One'));
      const b = plugin('b', descriptor('b.Two'));
      const registry = new PluginRegistry().register(a).register(b);
      expect(registry.registeredPlugins()).toEqual([a, b]);
    });

    it('rejects a duplicate type, naming both plugins, and registers nothing of the second', () => {
      const registry = testRegistry();
      const clash = plugin('@acme/extra-losses', descriptor('acme.Fine'), descriptor('test.FeatureL2'));
      expect(() => registry.register(clash)).toThrow("plugin @acme/extra-losses: type 'test.FeatureL2' is already registered by @yolo-distill/test-plugins");
      expect(registry.descriptor('acme.Fine')).toBeUndefined();
      expect(registry.registeredPlugins()).toHaveLength(1);
    });

    it('rejects a type listed twice by one plugin', () => {
      expect(() => new PluginRegistry([plugin('@acme/twice', descriptor('acme.Same'), descriptor('acme.Same'))])).toThrow(
        "plugin @acme/twice: type 'acme.Same' is listed twice in its descriptors",
      );
    });

    it.each(['FeatureL2', 'Losses.FeatureL2', 'losses.', 'losses.Feature L2', 'losses.2d', 'losses..X', '.X'])('rejects the type name %j', (type) => {
      expect(() => new PluginRegistry([plugin('@acme/bad', descriptor(type))])).toThrow(
        `plugin @acme/bad: type '${type}' is not of the form 'package.Name' (e.g. 'losses.FeatureL2')`,
      );
    });

    it.each(['losses.FeatureL2', 'yolo-v5.Model', 'a.b.C', 'x.y'])('accepts the type name %j', (type) => {
      expect(new PluginRegistry([plugin('@acme/ok', descriptor(type))]).types()).toEqual([type]);
    });
  });

  describe('parse', () => {
    const STAGES = [
      'stages:', //                                                       1
      '  - type: test.Train', //                                          2
      '    epochs: 2', //                                               3
      '    lr: 0.1', //                                                 4
      '    losses:', //                                                 5
      '      p3: { type: test.FeatureL2, student: neck.0, teacher: neck.1, weight: 0.5 }', // 6
      '  - type: test.Trian', //                                          7
      '  - { epochs: 1 }', //                                             8
      '  - test.Train', //                                                9
      '  - type: test.FeatureL2', //                                      10
      '  - type: 3', //                                                   11
      '  - type: nothing.Like', //                                        12
      '  - type: test.Train', //                                          13
      '    epochs: 1', //                                               14
      '    lr: 1', //                                                   15
      '    losses: { p5: { type: test.FeatureL3, student: a, teacher: b } }', // 16
      '  - type: test.Train', //                                          17
      '    epochs: 1', //                                               18
      '    lr: 1', //                                                   19
      '    losses: { p5: { type: test.FeatureL2, teacher: b } }', //     20
      '',
    ].join('\n');

    it('validates the node without its type and returns a ref that remembers where it was', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 0);
      const ref = registry.parse<TestTrainStage>('stage', raw, at);
      expect(ref).toBeInstanceOf(PluginRef);
      expect(ref.type).toBe('test.Train');
      expect(ref.kind).toBe('stage');
      expect(ref.at.path).toEqual(['stages', 0]);
      expect(ref.config).toMatchObject({ epochs: 2, lr: 0.1, mode: 'fast' });
    });

    it('parses nested plugins through ConfigLocation.plugin, at their own path', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 0);
      const config = registry.parse('stage', raw, at).config as { losses: Record<string, PluginRef<DistillLoss>> };
      const p3 = config.losses['p3'];
      expect(p3).toBeInstanceOf(PluginRef);
      expect(p3?.type).toBe('test.FeatureL2');
      expect(p3?.at.path).toEqual(['stages', 0, 'losses', 'p3']);
      expect(p3?.config).toEqual({ student: 'neck.0', teacher: 'neck.1', weight: 0.5 });
    });

    it('names the YAML place, the kind, the known types and a suggestion for an unknown type', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 1);
      expect(configErrorOf(() => registry.parse('stage', raw, at)).message).toBe(
        "p.yaml:7:11: stages[1].type: unknown stage type 'test.Trian'. Did you mean 'test.Train'? Known stage types: test.ExportOnnx, test.Train",
      );
    });

    it('leaves the suggestion out when nothing is close', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 6);
      expect(configErrorOf(() => registry.parse('stage', raw, at)).message).toBe(
        "p.yaml:12:11: stages[6].type: unknown stage type 'nothing.Like'. Known stage types: test.ExportOnnx, test.Train",
      );
    });

    it('says when no plugin of the kind is registered', () => {
      const registry = new PluginRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 1);
      expect(configErrorOf(() => registry.parse('stage', raw, at)).message).toBe(
        "p.yaml:7:11: stages[1].type: unknown stage type 'test.Trian'. Known stage types: (none registered)",
      );
    });

    it('rejects a type of the wrong kind', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 4);
      expect(configErrorOf(() => registry.parse('stage', raw, at)).message).toBe(
        "p.yaml:10:11: stages[4].type: 'test.FeatureL2' is a loss, but a stage is expected here. Known stage types: test.ExportOnnx, test.Train",
      );
    });

    it('names every accepted kind of a slot', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt('teacher: { type: test.Mosaic }\n', registry, 'teacher');
      expect(configErrorOf(() => registry.parse(['teacher', 'model'], raw, at)).message).toBe(
        "p.yaml:1:18: teacher.type: 'test.Mosaic' is an augmentation, but a teacher or model is expected here. Known teacher or model types: test.Model, test.OnnxTeacher",
      );
      const featureSlot = nodeAt('cutmix: { type: test.Mosaic }\n', registry, 'cutmix');
      expect(configErrorOf(() => registry.parse('featureAugmentation', featureSlot.raw, featureSlot.at)).message).toBe(
        "p.yaml:1:17: cutmix.type: 'test.Mosaic' is an augmentation, but a feature augmentation is expected here. Known feature augmentation types: (none registered)",
      );
    });

    it('asks for the type key when it is missing', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 2);
      expect(configErrorOf(() => registry.parse('stage', raw, at)).message).toBe(
        "p.yaml:8:5: stages[2]: missing required field 'type' (a stage type; known: test.ExportOnnx, test.Train)",
      );
    });

    it('rejects a type that is not a string', () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(STAGES, registry, 'stages', 5);
      expect(configErrorOf(() => registry.parse('stage', raw, at)).message).toBe('p.yaml:11:11: stages[5].type: expected a stage type name, found number 3');
    });

    it.each([
      ['  - test.Train', 'found string "test.Train"'],
      ['  - [a, b]', 'found a list of 2'],
      ['  - null', 'found null'],
      ['  - 7', 'found number 7'],
    ])('rejects a node that is not a mapping: %s', (line, found) => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(`stages:\n${line}\n`, registry, 'stages', 0);
      expect(configErrorOf(() => registry.parse('stage', raw, at)).message).toBe(`p.yaml:2:5: stages[0]: expected a stage as a mapping with a 'type' key, ${found}`);
    });

    it('reports problems of nested plugins at their own path', () => {
      const registry = testRegistry();
      const unknown = nodeAt(STAGES, registry, 'stages', 7);
      expect(configErrorOf(() => registry.parse('stage', unknown.raw, unknown.at)).message).toBe(
        "p.yaml:16:27: stages[7].losses.p5.type: unknown loss type 'test.FeatureL3'. Did you mean 'test.FeatureL2'? Known loss types: test.FeatureL2, test.HeadKL",
      );
      const missing = nodeAt(STAGES, registry, 'stages', 8);
      expect(configErrorOf(() => registry.parse('stage', missing.raw, missing.at)).message).toBe(
        "p.yaml:20:15: stages[8].losses.p5: missing required field 'student' (expected a string)",
      );
    });
  });

  describe('build', () => {
    let runContainer: DependencyContainer;
    beforeEach(() => {
      runContainer = container.createChildContainer();
    });

    it('builds a ref and, through the context, the refs nested in it', async () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt(
        'stage:\n  type: test.Train\n  epochs: 1\n  lr: 1\n  losses:\n    p3: { type: test.FeatureL2, student: s, teacher: t }\n',
        registry,
        'stage',
      );
      const stage = await registry.build(registry.parse<TestTrainStage>('stage', raw, at), runContainer);
      expect(stage.name).toBe('test.Train');
      expect(stage.losses['p3']?.taps).toEqual([{ student: 's', teacher: 't' }]);
    });

    it('hands the run container to create, also for nested builds', async () => {
      const seen: DependencyContainer[] = [];
      const inner = descriptor('acme.Inner', 'loss', (_config, context) => {
        seen.push(context.container);
        return 'inner';
      });
      const outer = descriptor('acme.Outer', 'stage', async (config, context) => {
        seen.push(context.container);
        return `outer(${await context.build(config as PluginRef<string>)})`;
      });
      const registry = new PluginRegistry([plugin('@acme/p', inner, outer)]);
      const at = new ConfigLocation(parseYamlText('x: 1\n', 'p.yaml').source, [], registry);
      const innerRef = new PluginRef<string>(inner as PluginDescriptor<unknown, string>, {}, at.child('inner'));
      const outerRef = new PluginRef<string>(outer as PluginDescriptor<unknown, string>, innerRef, at.child('outer'));
      expect(await registry.build(outerRef, runContainer)).toBe('outer(inner)');
      expect(seen).toEqual([runContainer, runContainer]);
    });

    it('wraps a failure of create with the YAML location of the node', async () => {
      const registry = testRegistry();
      const { raw, at } = nodeAt('seed: 1\nteacher:\n  type: test.OnnxTeacher\n  path: big.missing\n', registry, 'teacher');
      const ref = registry.parse(['teacher', 'model'], raw, at);
      const error = await registry.build(ref, runContainer).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe('p.yaml:3:3: teacher: cannot build test.OnnxTeacher: big.missing does not exist');
      expect(((error as ConfigError).cause as Error).message).toBe('big.missing does not exist');
    });

    it('reports a failing nested plugin at its own place, not wrapped again', async () => {
      const failing = descriptor('acme.Broken', 'loss', () => {
        throw new Error('no such tap');
      });
      const registry = new PluginRegistry([testPlugin, plugin('@acme/broken', failing)]);
      const { raw, at } = nodeAt('stage:\n  type: test.Train\n  epochs: 1\n  lr: 1\n  losses:\n    bad: { type: acme.Broken }\n', registry, 'stage');
      await expect(registry.build(registry.parse('stage', raw, at), runContainer)).rejects.toThrow(
        /^p\.yaml:6:10: stage\.losses\.bad: cannot build acme\.Broken: no such tap$/,
      );
    });

    it('passes a ConfigError from create through unchanged and describes thrown non-errors', async () => {
      const source = parseYamlText('x: 1\n', 'p.yaml').source;
      const own = new ConfigError([{ position: { file: 'other.yaml', line: 9, col: 9 }, path: ['w'], message: 'own' }]);
      const registry = new PluginRegistry([
        plugin(
          '@acme/p',
          descriptor('acme.Own', 'loss', () => {
            throw own;
          }),
          descriptor('acme.Str', 'loss', () => {
            throw 'a string';
          }),
        ),
      ]);
      const at = new ConfigLocation(source, ['x'], registry);
      await expect(registry.build(registry.parse('loss', { type: 'acme.Own' }, at), runContainer)).rejects.toBe(own);
      await expect(registry.build(registry.parse('loss', { type: 'acme.Str' }, at), runContainer)).rejects.toThrow('p.yaml:1:4: x: cannot build acme.Str: a string');
    });
  });
});

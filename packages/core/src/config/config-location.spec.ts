import { ConfigError, type SourcePosition } from './config-error.js';
import { ConfigLocation, type NestedPluginParser } from './config-location.js';
import type { ConfigPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { PluginRef, type PluginKind } from '../plugins/plugin.js';

/** A source that answers with the path length as line and 1 (key) or 2 (value) as column, and records questions. */
class RecordingSource implements ConfigSource {
  readonly file = 'rec.yaml';
  readonly asked: { path: ConfigPath; part: 'key' | 'value' | undefined }[] = [];
  positionOf(path: ConfigPath, part?: 'key' | 'value'): SourcePosition {
    this.asked.push({ path, part });
    return { file: this.file, line: path.length, col: part === 'key' ? 1 : 2 };
  }
}

describe('ConfigLocation', () => {
  it('builds child paths without changing the parent', () => {
    const root = new ConfigLocation(new RecordingSource());
    const child = root.child('stages').child(2).child('lr');
    expect(child.path).toEqual(['stages', 2, 'lr']);
    expect(root.path).toEqual([]);
    expect(child.file).toBe('rec.yaml');
  });

  it('makes problems at the value by default, or at the key', () => {
    const source = new RecordingSource();
    const at = new ConfigLocation(source, ['stages', 0]);
    expect(at.problem('bad value')).toEqual({ position: { file: 'rec.yaml', line: 2, col: 2 }, path: ['stages', 0], message: 'bad value' });
    expect(at.problem('bad key', 'key').position.col).toBe(1);
    expect(source.asked.map((q) => q.part)).toEqual(['value', 'key']);
  });

  it('makes a ConfigError whose message is file:line:col: path: message', () => {
    const error = new ConfigLocation(new RecordingSource(), ['seed']).error('expected an integer');
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('rec.yaml:1:2: seed: expected an integer');
  });

  it('parses nested plugins through the attached parser, passing itself', () => {
    const calls: { kinds: PluginKind | readonly PluginKind[]; raw: unknown; at: ConfigLocation }[] = [];
    const parser: NestedPluginParser = {
      parse<T>(kinds: PluginKind | readonly PluginKind[], raw: unknown, at: ConfigLocation): PluginRef<T> {
        calls.push({ kinds, raw, at });
        return new PluginRef<T>({ type: 'x.Y', kind: 'loss', summary: '', parse: () => raw, create: () => Promise.reject(new Error('unused')) }, raw, at);
      },
    };
    const at = new ConfigLocation(new RecordingSource(), [], parser).child('losses').child('p3');
    const ref = at.plugin('loss', { type: 'x.Y' });
    expect(ref.type).toBe('x.Y');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.kinds).toBe('loss');
    expect(calls[0]?.at.path).toEqual(['losses', 'p3']);
  });

  it('says so when no registry is attached', () => {
    expect(() => new ConfigLocation(new RecordingSource()).plugin('loss', {})).toThrow('no plugin registry is attached to the config location rec.yaml');
  });
});

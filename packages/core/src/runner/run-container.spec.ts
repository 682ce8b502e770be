import { join } from 'node:path';
import { container } from 'tsyringe';
import { EventBus } from '../services/event-bus.js';
import { FileCheckpointStore } from '../services/checkpoint-store.js';
import { StreamLogger } from '../services/logger.js';
import { SeededRng } from '../services/rng.js';
import { RunFolder } from '../services/run-folder.js';
import { BACKEND, CHECKPOINT_STORE, EVENT_BUS, LOGGER, RNG, RUN_FOLDER, RUN_INFO, type BackendHandle } from '../services/tokens.js';
import { createRunContainer } from './run-container.js';

const backend: BackendHandle = { name: 'cpu', threads: 1, describe: () => ({ name: 'cpu' }) };

describe('createRunContainer', () => {
  it('registers the services of one run in a child container', () => {
    const logger = new StreamLogger(() => undefined);
    const info = { name: 'quick', seed: 7, pipelineFile: 'quick.yaml' };
    const run = createRunContainer(container, { info, folder: '/tmp/runs/quick', logger, backend });
    expect(run).not.toBe(container);
    expect(run.resolve(RUN_INFO)).toBe(info);
    expect(run.resolve(LOGGER)).toBe(logger);
    expect(run.resolve(BACKEND)).toBe(backend);
    expect(run.resolve(EVENT_BUS)).toBeInstanceOf(EventBus);
    expect(run.resolve(RUN_FOLDER)).toBeInstanceOf(RunFolder);
    expect(run.resolve(RUN_FOLDER).root).toBe('/tmp/runs/quick');
    expect(run.resolve(CHECKPOINT_STORE)).toBeInstanceOf(FileCheckpointStore);
    expect(container.isRegistered(RUN_INFO)).toBe(false);
  });

  it('seeds the run RNG with the run seed', () => {
    const run = createRunContainer(container, { info: { name: 'q', seed: 7, pipelineFile: 'q.yaml' }, folder: join('/tmp', 'q'), logger: new StreamLogger(), backend });
    expect(run.resolve(RNG).state()).toEqual(new SeededRng(7).state());
  });

  it('uses a given event bus and keeps runs apart', () => {
    const events = new EventBus();
    const options = { info: { name: 'q', seed: 0, pipelineFile: 'q.yaml' }, folder: '/tmp/q', logger: new StreamLogger(), backend };
    const a = createRunContainer(container, { ...options, events });
    const b = createRunContainer(container, options);
    expect(a.resolve(EVENT_BUS)).toBe(events);
    expect(b.resolve(EVENT_BUS)).not.toBe(events);
    expect(a.resolve(RNG)).not.toBe(b.resolve(RNG));
  });
});

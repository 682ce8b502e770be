import { EventBus, RunFolder, SeededRng, type Logger, type PipelineModels, type StageContext, type TimedRunEvent } from '@yolo-distill/core';

/** A StageContext writing into `folder`, recording events and log lines for assertions. */
export function testStageContext(folder: string, models: PipelineModels): { context: StageContext; events: TimedRunEvent[]; lines: string[] } {
  const events: TimedRunEvent[] = [];
  const lines: string[] = [];
  const bus = new EventBus(() => new Date(0));
  bus.subscribe((event) => events.push(event));
  const logger: Logger = {
    debug: () => undefined,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warn: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
  const context: StageContext = {
    index: 2,
    models,
    rng: new SeededRng(0),
    events: bus,
    logger,
    folder: new RunFolder(folder),
    checkpoints: { resumeFrom: undefined, save: () => Promise.resolve() },
    signal: new AbortController().signal,
  };
  return { context, events, lines };
}

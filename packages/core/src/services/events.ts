/** Everything a run reports, one JSON line each in `events.jsonl`. */
export type RunEvent =
  | { type: 'run-start'; run: string; pipeline: string; seed: number; backend: string; resumed: boolean }
  | { type: 'stage-start'; stage: number; name: string; stageType: string }
  | { type: 'epoch-start'; stage: number; epoch: number; epochs: number }
  | { type: 'step'; stage: number; epoch: number; step: number; steps: number; losses: Record<string, number>; lr?: number; instances?: number; size?: number }
  | { type: 'val-progress'; stage: number; epoch: number; images: number; total: number }
  | { type: 'epoch-end'; stage: number; epoch: number; epochs: number; losses: Record<string, number> }
  | { type: 'metric'; stage: number; name: string; value: number; epoch?: number }
  | { type: 'checkpoint'; stage: number; label: string; path: string }
  | { type: 'stage-end'; stage: number; name: string; seconds: number }
  | { type: 'stage-skip'; stage: number; name: string; reason: string }
  | { type: 'run-end'; status: 'completed' | 'failed' | 'aborted'; seconds: number; error?: string };

export type RunEventType = RunEvent['type'];
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
/** An event as written: with the time it was emitted. */
export type TimedRunEvent = RunEvent & { time: string };

/** A step's loss numbers as the loop logs them: the total, its components, terms logged only. */
export interface StepValues {
  readonly total: number;
  readonly components: Readonly<Record<string, number>>;
  readonly details: Readonly<Record<string, number>>;
}

/** One shard's numbers and its weight in the batch. */
export interface ShardValues {
  /** `total` is what the shard differentiated: its components, batch means weighted by `share`. */
  readonly values: StepValues;
  readonly share: number;
}

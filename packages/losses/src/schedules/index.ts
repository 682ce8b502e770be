export { linearWarmup, progressiveTaps, stepDecay, type LinearWarmupOptions, type ProgressiveTapsOptions, type Schedule, type StepDecayOptions } from './schedules.js';

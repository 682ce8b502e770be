export { baseWeight, relativeWeight, scheduleFactor, termScale, termWeightKeys, type TermWeightConfig } from './term-weight.js';

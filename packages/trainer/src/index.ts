export { trainerPlugin } from './plugin.js';

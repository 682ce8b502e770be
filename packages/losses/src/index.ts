export { lossesPlugin } from './plugin.js';

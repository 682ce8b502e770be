export { quantizePlugin } from './plugin.js';

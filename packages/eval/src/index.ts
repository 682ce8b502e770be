export { evalPlugin } from './plugin.js';

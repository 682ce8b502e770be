export { exportPlugin } from './plugin.js';

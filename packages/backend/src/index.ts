export { BACKEND_PREFERENCE, SelectedBackend, selectBackend, type ConcreteBackend } from './select-backend.js';

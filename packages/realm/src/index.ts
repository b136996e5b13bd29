export {
  createContext,
  SILENT_PROGRESS,
  type BlueContext,
  type ContextOptions,
  type Env,
  type ProgressEvent,
  type ProgressReporter,
} from './context.js';
export { initRealm, type InitRealmInput, type InitRealmResult } from './init-realm.js';
export {} from './detect/index.js';

// The Action's entry point (action.yml runs its bundle, action/dist/index.cjs). Nothing else runs at import.
import { runAction } from './main.js';

declare const BLUE_ACTION_VERSION: string | undefined;

const version = typeof BLUE_ACTION_VERSION === 'string' ? BLUE_ACTION_VERSION : 'dev';
void runAction(process.env, version).then((code) => {
  process.exitCode = code;
});

export { BaseCommand } from './base-command.js';
export { EXIT, exitCodeFor } from './exit-codes.js';

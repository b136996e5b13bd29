import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';

/**
 * The GitHub Actions runner protocol, as the runner documents it: inputs arrive as
 * `INPUT_<NAME>` variables, outputs and the job summary are appended to the files GITHUB_OUTPUT
 * and GITHUB_STEP_SUMMARY name, masks and annotations are workflow commands on stdout.
 */
export interface Runner {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The input's value, trimmed ('' when unset). */
  input(name: string): string;
  setOutput(name: string, value: string): void;
  /** Asks the runner to hide `secret` in every log line from now on. */
  mask(secret: string): void;
  appendSummary(markdown: string): void;
  /** A line in the log; `level` makes it an annotation. */
  log(message: string, level?: 'warning' | 'error' | 'notice'): void;
  /** The event payload (GITHUB_EVENT_PATH), {} when there is none. */
  event(): ActionEvent;
}

/** The parts of `pull_request` and `push` payloads the Action reads. */
export interface ActionEvent {
  pull_request?: { number: number; base?: { sha?: string; ref?: string }; head?: { sha?: string; ref?: string } };
  repository?: { full_name?: string; default_branch?: string };
  ref?: string;
  after?: string;
}

/** Workflow command data and properties are escaped as the runner expects (%, CR, LF). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function actionsRunner(env: Readonly<Record<string, string | undefined>>, write: (text: string) => void = (t) => process.stdout.write(t)): Runner {
  const appendTo = (variable: string, text: string): void => {
    const file = env[variable];
    if (file) appendFileSync(file, text);
  };
  return {
    env,
    input: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setOutput: (name, value) => {
      // The multi-line form with a delimiter the value cannot contain, as the runner documents.
      const delimiter = `ghadelimiter_${randomBytes(12).toString('hex')}`;
      appendTo('GITHUB_OUTPUT', `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
    },
    mask: (secret) => {
      if (secret !== '') write(`::add-mask::${escapeData(secret)}\n`);
    },
    appendSummary: (markdown) => appendTo('GITHUB_STEP_SUMMARY', `${markdown}\n`),
    log: (message, level) => write(level === undefined ? `${message}\n` : `::${level}::${escapeData(message)}\n`),
    event: () => {
      const file = env.GITHUB_EVENT_PATH;
      return file ? (JSON.parse(readFileSync(file, 'utf8')) as ActionEvent) : {};
    },
  };
}

import { assertCommitMessageSize, assertWritableYaml, recordCoordinatedCommit, stringifyYaml, withSchemaLine, worktreeTrackingPath, type WorktreeFile } from '@blue/core';
import type { FileChange } from './realm-commit.js';

/**
 * Refuses (VALUE_TOO_LARGE) a realm commit whose files or message Blue's readers would refuse
 * afterwards, before anything is written: every file within the YAML read limit, the message
 * within MAX_COMMIT_MESSAGE_BYTES. Callers that know the export check earlier, naming it
 * (realmYamlFile); this is the backstop for every realm write.
 */
export function assertRealmChangesReadable(changes: readonly FileChange[], message: string): void {
  assertCommitMessageSize(message);
  for (const change of changes) if (change.content !== null) assertWritableYaml(change.path, change.content);
}

/**
 * Refuses a coordinated commit before any repo commits when its message is too long, or when
 * recording it would grow the worktree tracking file past the read limit (each message is kept there).
 */
export function assertCoordinatedCommitFits(file: WorktreeFile, message: string, domains: readonly string[]): void {
  assertCommitMessageSize(message);
  const shas = Object.fromEntries(domains.map((d) => [d, '0'.repeat(40)]));
  const planned = recordCoordinatedCommit(file, { message, shas, link: true }).file;
  assertWritableYaml(worktreeTrackingPath(file.name), withSchemaLine('worktree', stringifyYaml(planned)));
}

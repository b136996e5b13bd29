import { BlueError, commandDigest, shellCommand } from '@blue/core';

/** An export whose `command` detector this user has not trusted: what it would run, and how to allow it. */
export interface UntrustedCommand {
  command: string[];
  /** sha256 of the argv (see commandDigest): what `blue trust allow` records. */
  sha256: string;
  /** The command to type (in a terminal, in the repository) to trust it. */
  allow: string;
}

/** The untrusted report of `exportName`'s command `argv`. */
export function untrustedCommand(exportName: string, argv: readonly string[]): UntrustedCommand {
  return { command: [...argv], sha256: commandDigest(argv), allow: `blue trust allow --export ${exportName}` };
}

/**
 * COMMAND_UNTRUSTED: the repository declares `argv` and this user has not trusted it here, so
 * Blue did not run it. Only a person grants trust (`blue trust allow`), never an MCP tool.
 */
export function commandUntrustedError(repo: string, argv: readonly string[], exportName?: string): BlueError {
  const what = exportName === undefined ? 'a `command` detector' : `export "${exportName}"'s \`command\` detector`;
  return new BlueError('COMMAND_UNTRUSTED', `${repo} declares ${what} that you have not trusted on this machine, so Blue did not run it: ${shellCommand(argv)}`, {
    hint: `Read the command in .blue/exports.yaml. To let Blue run it, a person types in a terminal in ${repo}: blue trust allow${exportName === undefined ? '' : ` --export ${exportName}`} (no MCP tool can grant trust; any change to the command revokes it).`,
  });
}

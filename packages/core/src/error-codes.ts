/**
 * Every error code Blue can report, in one place. Codes are a public contract: stable, upper
 * snake case. `kind` decides the CLI exit code and how the MCP face words the error:
 *   input    -> exit 3  (YAML syntax, schema, names, values)
 *   state    -> exit 4  (not in a realm, dirty worktree, already exists, approval needed, ...)
 *   external -> exit 5  (git remote rejected, GitHub API, network)
 *   usage    -> exit 2  (unknown flag, missing argument: raised by the faces' parsers)
 *   internal -> exit 70 (a bug: anything thrown that was not a BlueError)
 */
export type ErrorKind = 'usage' | 'input' | 'state' | 'external' | 'internal';

export const ERROR_CODES = {
  USAGE: { kind: 'usage', summary: 'The command line was not understood: unknown flag, missing argument.' },
  ARGUMENT_UNKNOWN: { kind: 'usage', summary: 'A tool call named an argument the tool does not have (a misspelling would otherwise be ignored).' },
  ARGUMENT_MISSING: { kind: 'usage', summary: 'A tool call left out an argument the tool requires.' },
  ARGUMENT_INVALID: { kind: 'usage', summary: 'A tool argument has the wrong type or shape (a number where a string is expected, ...).' },
  INTERNAL: { kind: 'internal', summary: 'A bug in Blue: an unexpected error. Please report it with the output.' },
  YAML_SYNTAX: { kind: 'input', summary: 'A YAML file could not be parsed.' },
  SCHEMA_INVALID: { kind: 'input', summary: 'A file or value does not match its JSON Schema.' },
  NAME_INVALID: { kind: 'input', summary: 'A realm, domain or export name is not kebab-case, is too long, or could escape its folder.' },
  VERSION_INVALID: { kind: 'input', summary: 'A version or version range does not parse as semver.' },
  VALUE_INVALID: { kind: 'input', summary: 'A flag or tool argument has a value Blue cannot use.' },
  FILE_TOO_LARGE: { kind: 'input', summary: 'A file Blue reads is larger than it accepts (YAML files: at most 8 MiB).' },
  VALUE_TOO_LARGE: { kind: 'input', summary: 'A value, changelog or commit message would make a file Blue writes larger than its readers accept (YAML files: at most 8 MiB); nothing was written.' },
  FILE_NOT_REGULAR: { kind: 'input', summary: 'A file Blue was asked to read is a FIFO, device or socket, not a regular file; Blue does not open it.' },
  SCHEMA_UNSAFE: { kind: 'input', summary: "An export's JSON Schema cannot be used safely: a pattern RE2 cannot match in linear time (back-references, lookaround), or a $ref/$dynamicRef that recurses without end." },
  FILE_NOT_FOUND: { kind: 'input', summary: 'A file or folder named on the command line (a binding, a value file, --cwd) does not exist.' },
  CONFIG_INVALID: { kind: 'input', summary: 'An MCP client config file Blue was asked to update is not a JSON object it can merge into.' },
  OPENAPI_INVALID: { kind: 'input', summary: 'A file the openapi detector reads is not an OpenAPI 3 document, or a $ref in it points outside the repository or to the network.' },
  PATH_INVALID: { kind: 'input', summary: 'A path escapes the folder it must stay in (absolute, "..", or through a symlink).' },
  NOT_IN_REALM: { kind: 'state', summary: 'The folder is not a realm member (no .blue/config.yaml) or the realm path is not a realm.' },
  NOT_A_REPO: { kind: 'state', summary: 'The folder is not inside a git repository.' },
  CWD_UNUSABLE: { kind: 'state', summary: "The folder Blue was asked to act in (--cwd, the MCP tool's cwd, or the current folder) cannot be entered: its path loops through symlinks, or you may not enter it." },
  NOT_A_DIRECTORY: { kind: 'state', summary: 'A path that must be a folder is a file.' },
  PATH_NOT_WRITABLE: { kind: 'state', summary: 'Blue may not write in the folder it was asked to use.' },
  REALM_EXISTS: { kind: 'state', summary: 'A realm already exists at the path.' },
  FOLDER_NOT_EMPTY: { kind: 'state', summary: 'The folder holds files that are not a realm; Blue will not mix a realm into them.' },
  DOMAIN_EXISTS: { kind: 'state', summary: 'The realm already has a domain of that name, joined from another repository.' },
  ALREADY_MEMBER: { kind: 'state', summary: 'The repository is already a domain of another realm (one realm per repo for now).' },
  ADMISSION_DENIED: { kind: 'state', summary: 'The realm admits new domains by invitation only, and you are not one of its approvers.' },
  IMPORT_CYCLE: { kind: 'state', summary: 'The import would make domains depend on each other in a cycle.' },
  UNKNOWN_DOMAIN: { kind: 'state', summary: 'The realm has no domain of that name.' },
  MAINTAINERS_DENIED: { kind: 'state', summary: "Only a domain's maintainers and the realm's approvers may change who maintains it." },
  NOTHING_TO_APPROVE: { kind: 'state', summary: 'No breaking change of that export awaits approval (none is held, or not that version).' },
  UNKNOWN_CONTRACT: { kind: 'state', summary: 'The domain exports no contract of that name.' },
  COMMAND_UNTRUSTED: { kind: 'state', summary: 'A command the repository declares (a `command` detector) is not trusted by you on this machine, so Blue did not run it; a person allows it with `blue trust allow`.' },
  REALM_UNREACHABLE: { kind: 'external', summary: "The realm's remote could not be reached; a reader answers from the local clone with this as a warning (exit 1 only with --strict)." },
  REALM_MISMATCH: { kind: 'state', summary: 'A realm clone or URL holds another realm than the one .blue/config.yaml names.' },
  REALM_BUSY: { kind: 'state', summary: 'Another Blue process kept the realm clone (or a file Blue writes) locked longer than BLUE_LOCK_TIMEOUT_MS; the message names its pid and command.' },
  DIRTY_WORKTREE: { kind: 'state', summary: 'A git worktree has uncommitted changes where Blue needs a clean one.' },
  GIT_IDENTITY: { kind: 'state', summary: 'git does not know who you are, so Blue cannot commit.' },
  BREAKING_NEEDS_APPROVAL: { kind: 'state', summary: 'A breaking change needs an approver before it reaches the realm.' },
  APPROVAL_OUTDATED: { kind: 'state', summary: 'The change awaiting approval was overtaken by a later publish of the same export; the provider must sync again.' },
  BRANCH_NOT_PUSHED: { kind: 'state', summary: 'A branch is not on its remote (or the remote has other commits), so no pull request can show it.' },
  CHANGE_FINISHED: { kind: 'state', summary: 'The coordinated change on that branch was finished (blue realm done); its tracking file is history.' },
  CHANGE_STILL_OPEN: { kind: 'state', summary: 'A coordinated change still has open pull requests, so it cannot be finished (unless forced).' },
  STILL_IMPORTED: { kind: 'state', summary: 'Another domain still imports from this one.' },
  GIT_FAILED: { kind: 'external', summary: 'A git command failed.' },
  PUSH_REJECTED: { kind: 'external', summary: 'The remote rejected a push.' },
  REPO_NOT_CLAIMED: { kind: 'state', summary: 'A domain names a GitHub repository whose default branch does not hold a .blue/config.yaml naming this realm and that domain, so Blue does not open issues or comment there.' },
  REPO_CLAIMED_TWICE: { kind: 'state', summary: 'Two domains of the realm name the same GitHub repository; Blue notifies neither until an approver corrects one.' },
  GITHUB_AUTH: { kind: 'external', summary: 'No usable GitHub token was found, or GitHub refused it.' },
  GITHUB_API: { kind: 'external', summary: 'The GitHub API answered with an error.' },
  MCP_SERVER_NOT_FOUND: { kind: 'state', summary: 'blue-mcp could not be found next to this blue installation, so no client can be told how to start it.' },
  SOCKET_DIR_UNSAFE: { kind: 'state', summary: 'The runtime folder for session sockets is a symlink, owned by someone else, or open to others.' },
  DISK_FULL: { kind: 'external', summary: 'No space left on the disk (or over quota): a file could not be written; files are written whole or not at all.' },
} as const satisfies Record<string, { kind: ErrorKind; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function errorKind(code: ErrorCode): ErrorKind {
  return ERROR_CODES[code].kind;
}

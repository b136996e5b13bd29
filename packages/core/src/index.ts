export { ERROR_CODES, errorKind, type ErrorCode, type ErrorKind } from './error-codes.js';
export { renderToolCall, speakMcp, toolNameOf, type CommandRef } from './command-ref.js';
export { envNumber } from './env-number.js';
export { runsOnCi } from './on-ci.js';
export { remoteUrlKey, sameRemoteUrl } from './remote-url.js';
export { asBlueError, BlueError, hasErrno, isBlueError, type BlueErrorJson, type BlueErrorOptions } from './errors.js';
export { assertName, nameProblem, suggestName, NAME_MAX_LENGTH, type NameKind } from './names.js';
export { redactSecrets } from './redact.js';
export { shellCommand, shellQuote } from './shell-quote.js';
export { linearPattern } from './bounded-pattern.js';
export { assertCommitMessageSize, assertWritableYaml, MAX_COMMIT_MESSAGE_BYTES } from './write-limits.js';
export { readRegularFile } from './bounded-read.js';
export { hasEscapedBytes, losslessBytes, losslessUtf8 } from './lossless-utf8.js';
export { commandDigest, findTrust, TRUST_FILE, withoutTrust, withTrust } from './trust/trust.js';
export { assertRange, assertVersion, bumpVersion, isVersion, compareVersions, newestSatisfying, type Bump } from './semver.js';
export { loadSchema, schemaPath } from './schemas.js';
export { schemaLine, schemaUrl, withSchemaLine } from './schema-line.js';
export { formatPath, isFileOfKind, prepareSchemaCompiler, usesStandaloneValidators, validateAgainstSchema, validateFile, type ValidationIssue } from './validate.js';
export { validationMemo } from './validation-memo.js';
export { jsonDepth, locate, MAX_YAML_BYTES, MAX_YAML_DEPTH, parseYaml, stringifyYaml, updateYaml, type ParsedYaml, type Position, type StringifyOptions } from './yaml.js';
export {
  assertPathWithin,
  assertValidFile,
  notRegular,
  parseFileOfKind,
  readYamlFile,
  readYamlFileIfExists,
  readYamlText,
  decodeYamlBytes,
  renderYamlFile,
  writeFileAtomic,
  writeYamlFile,
  type FileLabel,
  type WriteYamlOptions,
} from './files.js';
export { deepFreeze } from './deep-freeze.js';
export { ParsedFileMemo, readYamlFileNoFollow } from './parsed-files.js';
export { ParsedTextMemo, parsedUserFiles } from './parsed-text-memo.js';
export { gitBlobId, ParsedBlobCache } from './parsed-blobs.js';
export {
  CODEOWNERS_FILE,
  CONTRACTS_DIR,
  DOMAINS_DIR,
  INDEX_FILE,
  REALM_FILE,
  REPO_CONFIG_FILE,
  REPO_EXPORTS_FILE,
  WORKTREES_DIR,
  domainDir,
  domainFilePath,
  type DomainFileName,
} from './layout.js';
export {
  DEFAULT_GOVERNANCE,
  planRealmInit,
  renderCodeowners,
  type CodeownersDomain,
  type PlannedFile,
  type RealmInitInput,
  type RealmInitPlan,
} from './plan-init.js';
export {
  FILE_KINDS,
  type Admission,
  type ChangelogEntry,
  type DeclaredExport,
  type DetectRule,
  type DomainFile,
  type ExportKind,
  type FileKind,
  type FileKinds,
  type Governance,
  type GovernanceBot,
  type ImportEntry,
  type ImportStatus,
  type ImportsFile,
  type IndexFile,
  type IndexFileOnDisk,
  type JsonSchemaObject,
  type JsonValue,
  type PublishedExport,
  type RealmExportsFile,
  type RealmFile,
  type RepoConfigFile,
  type RepoExportsFile,
  type TrustFile,
  type TrustRecord,
  type WorktreeDomain,
  type WorktreeDomainStatus,
  type WorktreeFile,
} from './types.js';
export { describeChange, diffValues, jsonEqual, type ValueChange } from './diff/value-diff.js';
export { inferSchema } from './diff/infer-schema.js';
export { diffSchemas, type SchemaChange } from './diff/schema-diff.js';
export { classifyBump, type BumpClassification, type ExportSide } from './diff/bump.js';
export { findCycles, topologicalOrder, type DependencyGraph, type GraphEdge, type RealmGraph } from './graph/graph.js';
export { renderGraph, type GraphFormat } from './graph/render.js';
export { evaluateImport, graceDeadline, publishedVersions, type ImportEvaluation, type ImportEvaluationInput } from './realm/evaluate-import.js';
export { checkCodeowners, codeownersDrift, parseCodeowners, type CodeownersDrift, type CodeownersLine, type CodeownersProblem } from './realm/codeowners.js';
export { indexDomainPath, withIndexDomain, withoutIndexDomain } from './realm/index-file.js';
export {
  GRACE_ENDING_MS,
  isStateKind,
  nextNoticeDue,
  NOTICE_KINDS,
  noticeId,
  noticeText,
  planImpliedNotices,
  planMomentNotices,
  realmFacts,
  type ExportChange,
  type FactsDomain,
  type HeldChange,
  type ImpliedNotice,
  type MomentNotice,
  type MomentNoticeKind,
  type NoticeFields,
  type NoticeKind,
  type NoticePlanInput,
  type RealmFacts,
  type StateNoticeKind,
} from './realm/plan-notices.js';
export { planPublish, planResolve, type ExportPublication, type ImportResolution, type LocalExportInput, type PublishPlan } from './realm/plan-sync.js';
export { notificationTitle, planNotifications, type NotifyConsumer, type NotifyPlanInput, type PlannedNotification } from './realm/plan-notify.js';
// Binding coverage by export kind (IAM resource matching for s3-paths). See coverage/index.ts.
export {
  coverBinding,
  coveredByGrants,
  exportKind,
  normaliseResource,
  parsePolicy,
  policyDialect,
  s3BindingCoverage,
  s3PathsOf,
  wildcardContains,
  wildcardMatch,
  wildcardOverlap,
  type BindingCoverage,
  type CoveredValue,
  type ParsedPolicy,
  type PolicyFormat,
  type PolicyStatement,
  type S3AccessKind,
  type UnusedGrant,
} from './grants/index.js';
// Detection (pure): s3-paths finder, binding coverage. See detect/index.ts.
export { bindingCoverage, resolvePointer, envVarsValue, ENV_VARS_SCHEMA, findEnvVars, isRemoteRef, openapiInvalid, OPENAPI_SCHEMA, pathItemOperations, scanOpenapi, type OpenapiScan, findS3Paths, globMatcher, leafStrings, normaliseS3Uri, s3PathsValue, S3_EXPORT_NAME, S3_PATHS_SCHEMA, type S3Access, type S3Finding, type S3Location, type S3PathsValue, type SourceFile } from './detect/index.js';
export { approvalBranch, approvalBranchPrefix, approve, governPublish, HELD_BRANCHES, heldChangeOf, type GovernedPlan, type WithheldPublication } from './realm/governance.js';
export { assertBranchName, branchNameProblem, branchSlug, mergeOrder, mergePlan, planWorktreeTracking, recordCoordinatedCommit, REPO_WORKTREES_DIR, worktreeTrackingPath, type CoordinatedCommitInput, type CoordinatedCommitPlan, type MergePlan, type WorktreeTrackingInput, type WorktreeTrackingPlan } from './realm/worktree-plan.js';
export { defaultPullTitle, LINKED_SECTION_END, LINKED_SECTION_START, linkedPullBody, linkedPullSection, linkedSectionOf, mergeOrderLine, pullLinks, pullRef, withLinkedSection, type LinkedPull, type LinkedPullBodyInput, type LinkedPulls, type PullLinks } from './realm/linked-pulls.js';
export { evaluateMergeOrder, MERGE_ORDER_CONTEXT, STATUS_DESCRIPTION_MAX, type ExportWait, type GatePull, type GatePullState, type MergeOrderInput, type MergeOrderState, type MergeOrderVerdict } from './realm/merge-gate.js';
export { defaultMcpScope, MCP_CLIENTS, MCP_SCOPES, mcpConfigPath, mcpServersKey, type McpClient, type McpConfigLocationInput, type McpScope, type McpServersKey } from './mcp/clients.js';
export { MCP_SERVER_NAME, mcpConfigSnippet, mcpServerEntry, planMcpConfig, type McpConfigChange, type McpConfigMergeInput, type McpConfigPlan, type McpLauncher, type McpServerEntry } from './mcp/config-merge.js';

export {
  createContext,
  SILENT_PROGRESS,
  type BlueContext,
  type ContextOptions,
  type Env,
  type ProgressEvent,
  type ProgressReporter,
} from './context.js';
export { CHECKPOINTS, KILL_AT_ENV, type Checkpoint } from './checkpoints.js';
export { initRealm, type InitRealmInput, type InitRealmResult } from './init-realm.js';
export { DEFAULT_DETECT_TIMEOUT_MS, detectExportValue, findBindingFiles, listTrackedFiles, MAX_SOURCE_BYTES, readTrackedSources, suggestS3Export, type BindingCandidate, type BindingFile, type DetectedValue, type ReadSourcesOptions, type S3ExportSuggestion } from './detect/index.js';
export { joinRealm, type JoinRealmInput, type JoinRealmResult, type JoinStatus } from './join-realm.js';
export { leaveRealm, type LeaveRealmInput, type LeaveRealmResult } from './leave-realm.js';
export { exportContract, type ExportContractInput, type ExportContractResult } from './export-contract.js';
export { importContract, type ImportContractInput, type ImportContractResult } from './import-contract.js';
export { realmStatus, type ExportState, type ExportStatus, type ImportStatusEntry, type StatusInput, type StatusResult } from './status.js';
export { type RealmFreshness } from './store/realm-freshness.js';
export { KEPT_RECHECK_MS, KeptRealmViews } from './store/kept-realm-views.js';
export { CHECK_RULES, checkRealm, type CheckFinding, type CheckRealmInput, type CheckRealmResult, type CheckRule } from './check-realm.js';
export { realmGraph, type RealmGraphInput, type RealmGraphResult } from './realm-graph.js';
export { syncRealm, type ApprovalState, type SyncRealmInput, type SyncRealmResult } from './sync-realm.js';
export { assertPublishable, findUncommittedInputs, type UncommittedFile, type UncommittedReason } from './publishable.js';
export { approveChange, type ApproveChangeInput, type ApproveChangeResult } from './approve-change.js';
export { type PublishAttempt, type PublishResult } from './store/realm-gate.js';
export { type NotificationResult, type NotificationStatus } from './notify-consumers.js';
export { listRealmSessions, startDomainSession, watchRealmSessions, type DomainSession, type LiveMessage, type ListSessionsResult, type SessionEntry } from './live/sessions.js';
export { type LiveAnnouncement, type LiveResult } from './live/announce-publications.js';
export { type LiveNotice } from './live/live-notices.js';
export { watchDomain, type DomainWatchEvents, type DomainWatcher } from './live/watch-domain.js';
export { readWatchState, startRealmWatch, watchIntervalMs, DEFAULT_WATCH_INTERVAL_S, type RealmWatch, type RealmWatchEvents, type WatchState } from './live/realm-watch.js';
export { deliverImpliedNotices, impliedNoticesFor, liveNoticeId, noticeMessage, readInboxNotices, type ImpliedDelivery, type InboxNotice } from './live/implied-notices.js';
export { type ClosedNotice } from './notify-consumers.js';
export { createWorktree, type CreateWorktreeInput, type CreateWorktreeResult } from './worktree/create-worktree.js';
export { coordinatedCommit, type CoordinatedCommitInput, type CoordinatedCommitResult } from './worktree/coordinated-commit.js';
export { pushWorktrees, type PushWorktreesInput, type PushWorktreesResult } from './worktree/push-worktrees.js';
export { type RepoOutcome } from './worktree/unified.js';
export { openPullRequests, type OpenPullRequestsInput, type OpenPullRequestsResult, type PullOutcome } from './worktree/open-pull-requests.js';
export { finishChange, type FinishChangeInput, type FinishChangeResult } from './worktree/finish-change.js';
export { gateChange, type GateChangeInput, type GateChangeResult, type GatedChange, type GatePullOutcome } from './worktree/gate-change.js';
export { installMcp, type InstallMcpInput, type InstallMcpResult } from './mcp/install-mcp.js';
export { locateBlueMcp, type BlueInstallation, type LocatedBlueMcp } from './mcp/locate-blue-mcp.js';
export { allowTrust, listTrust, revokeTrust, type TrustAllowInput, type TrustChangeResult, type TrustListResult, type TrustRevokeInput } from './trust/trust-use-cases.js';
export { type UntrustedCommand } from './trust/command-trust.js';
export { reportOnPullRequest, type PullRequestReportInput, type PullRequestReportResult } from './pull-request-report.js';
export { changeMaintainers, type ChangeMaintainersInput, type ChangeMaintainersResult } from './change-maintainers.js';

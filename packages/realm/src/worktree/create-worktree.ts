import { assertBranchName, BlueError, planWorktreeTracking, worktreeTrackingPath } from '@blue/core';
import type { BlueContext } from '../context.js';
import { consumersOf } from '../store/realm-files.js';
import { addWorktrees } from './add-worktrees.js';
import { realmYamlFile } from '../realm-writes.js';
import type { Membership } from '../store/membership.js';
import type { RealmSnapshot } from '../store/realm-files.js';
import { writeRealm } from '../store/realm-gate.js';
import { memberAround, pendingOutcome, pendingStep, readTracking, repoFinder, requireTracking, savedTracking, splitByClone, type RepoOutcome, type SavedTracking } from './unified.js';

export interface CreateWorktreeInput {
  /** The RFC (or change) name; the branch defaults to `feat/<rfc>`. Not needed with `join`. */
  rfc?: string | undefined;
  branch?: string | undefined;
  /** The domains to include (default: this domain and every domain importing from it; with `join`: this domain). */
  domains?: readonly string[] | undefined;
  /** The branch of a change another machine started: attach this domain's worktree to it. */
  join?: string | undefined;
}

export interface CreateWorktreeResult {
  realm: { name: string; path: string };
  rfc: string;
  branch: string;
  /** This domain (where the command ran). */
  domain: string;
  worktrees: Array<RepoOutcome & { created?: boolean }>;
  tracking: { file: string; created: boolean } & SavedTracking;
  next_steps: string[];
}

/**
 * One branch across the repos a change touches (RFC "Change Propagation"): in each affected
 * domain's local clone (from the user's index only), a worktree at `.worktrees/<branch-slug>/`
 * on a new branch from the repo's default branch, `.worktrees/` excluded from git; the realm
 * records the set in `worktrees/<branch-slug>.yaml` (one commit, pushed). Re-running reuses what
 * exists, so a run that failed or was killed half-way is completed by running it again.
 */
export async function createWorktree(ctx: BlueContext, input: CreateWorktreeInput): Promise<CreateWorktreeResult> {
  const member = await memberAround(ctx);
  if (input.join === undefined && (input.rfc ?? '').trim() === '') throw new BlueError('VALUE_INVALID', 'Name the change with --rfc (or join one with --join <branch>).', { hint: 'e.g. blue realm worktree --rfc training-metrics-v2' });
  const branch = input.join ?? input.branch ?? `feat/${input.rfc ?? ''}`;
  assertBranchName(branch);
  // One realm write: under the realm lock, pulled (realm commits an earlier run made but did not
  // push are pushed with it), the worktrees made, then the tracking file committed and pushed.
  // Killed before the commit, it leaves the realm as it was (a dead process's lock is taken
  // over); the worktrees made are found again by the next run.
  const written = await writeRealm(ctx, member.realmPath, { command: `blue realm worktree ${branch} (${member.domain})` }, async (snapshot) => {
    const made = await makeWorktrees(ctx, member, snapshot, branch, input);
    const { plan } = made;
    const message = `worktree ${branch}: ${input.join === undefined ? made.domains.join(', ') : `${member.domain} joined`}`;
    return { value: made, changes: plan.changed ? [realmYamlFile('worktree', worktreeTrackingPath(plan.file.name), plan.file)] : [], message };
  });
  const { value: made, snapshot } = written;
  const { worktrees, elsewhere, rfc, plan } = made;
  const saved: SavedTracking = plan.changed ? savedTracking(written) : { pushed: false };
  const mine = worktrees.find((w) => w.domain === member.domain);
  const steps: string[] = [];
  if (mine?.path !== undefined) steps.push(`cd ${mine.path}`);
  for (const w of worktrees.filter((x) => x.domain !== member.domain && x.path !== undefined)) steps.push(`cd ${w.path ?? ''}  # ${w.domain}`);
  if (worktrees.some((w) => w.status === 'failed')) steps.push(`Fix the failed repos above, then run the same command again: it keeps what exists.`);
  steps.push(`Edit, then from any of them: blue realm commit -m "<message>" && blue realm push && blue realm pr`);
  if (elsewhere.length > 0) steps.push(pendingStep(elsewhere, branch));
  return {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    rfc,
    branch,
    domain: member.domain,
    worktrees,
    tracking: { file: worktreeTrackingPath(branch), created: plan.created, ...saved },
    next_steps: steps,
  };
}

/**
 * Inside the realm write: the tracking file as it is now, the domains to include (checked), the
 * worktrees in the repos with a clone here, and the tracking file planned (what it records does
 * not depend on which worktrees were made: a failed repo is made by running the command again).
 */
async function makeWorktrees(ctx: BlueContext, member: Membership, snapshot: RealmSnapshot, branch: string, input: CreateWorktreeInput) {
  const existing = input.join === undefined ? await readTracking(member.realmPath, branch) : await requireTracking(member.realmPath, branch);
  if (existing?.finished_at !== undefined) {
    throw new BlueError('CHANGE_FINISHED', `The change on ${branch} was finished at ${existing.finished_at} (blue realm done).`, { hint: 'Start a new change with another branch: blue realm worktree --rfc <name> --branch <new branch>.' });
  }
  const known = snapshot.domains.map((d) => d.name);
  const wanted = input.domains ?? (input.join === undefined ? [member.domain, ...consumersOf(snapshot, member.domain).map((c) => c.domain)] : [member.domain]);
  for (const d of wanted) {
    if (!known.includes(d)) throw new BlueError('UNKNOWN_DOMAIN', `Realm "${snapshot.realm.name}" has no domain "${d}".`, { hint: `Its domains: ${known.join(', ')}.` });
  }
  const domains = [...new Set(wanted)];
  // A domain with no clone on this machine is its owner's part: recorded awaiting, not failed.
  const { here, elsewhere, clones } = await splitByClone(ctx, member, snapshot, domains, existing);
  const rfc = existing?.source_rfc ?? input.rfc ?? branch;
  const plan = planWorktreeTracking(existing, { name: branch, rfc, domains, awaiting: Object.fromEntries(elsewhere.map((p) => [p.domain, p.owners])), now: ctx.now() });
  const tracked = new Set(existing?.domains.map((d) => d.name));
  const created = await addWorktrees(ctx, here, branch, repoFinder(ctx, member, snapshot, clones), (domain) => tracked.has(domain));
  const worktrees: CreateWorktreeResult['worktrees'] = [...created, ...elsewhere.map((p) => pendingOutcome(p, branch))];
  return { domains, elsewhere, rfc, plan, worktrees };
}

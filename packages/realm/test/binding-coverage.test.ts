// Bindings read as what they grant: the RFC scenario needs no policy change, a read-only grant of
// a write path is missing with the reason, over-grants are hints, breaking notices close.
import { describe, expect } from 'vitest';
import { git, useGitHubStandIn, verifies, type GitHubStandIn, type Sandbox } from '@blue/testkit';
import { createContext, importContract, realmStatus, syncRealm, type BlueContext } from '@blue/realm';
import { commitFile, NOW, RFC_EXPERIMENTS, sharedRealm } from './helpers.js';

const STACK = 'cdk/training_tools_access_stack.py';
const RUN_MODELS = 'from aperture import storage\n\n\ndef save_model(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/training-runs/{run_id}/model.pt")\n';

function ctxWith(box: Sandbox, cwd: string, env: Record<string, string>): BlueContext {
  return createContext({ cwd, env: { ...box.env, ...env }, now: () => NOW });
}

async function scene() {
  const shared = await sharedRealm({ fungalGithub: 'letemcook/fungal-image-analysis' });
  const standIn = await useGitHubStandIn();
  standIn.addRepo({ owner: 'letemcook', name: 'fungal-image-analysis', remote: shared.fungal.remote });
  return { ...shared, standIn };
}

const issuesOf = (standIn: GitHubStandIn) => standIn.state.issues('letemcook/fungal-image-analysis');

describe('binding coverage in the realm', () => {
  verifies(['binding-iam-matching', 'multi-domain-coordination'], "RFC: training-metrics/experiments/* is covered by the stack's training-metrics/*, no issue is opened, the import stays current", async () => {
    const { box, aperture, fungal, fungalRealm, standIn } = await scene();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', RFC_EXPERIMENTS);
    const published = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(published.exports[0]).toMatchObject({ to_version: '1.1.0', changes: ['+ training-metrics/experiments/* (write)'] });
    expect(published.notifications).toEqual([]);
    expect(issuesOf(standIn)).toHaveLength(0);

    await git(box, fungalRealm, ['pull', '-q', '--rebase']);
    const status = await realmStatus(ctxWith(box, fungal.dir, standIn.env));
    expect(status.imports[0]).toMatchObject({ status: 'current', available: '1.1.0', missing: [], reasons: [], coverage: 'policy', unused: [], notes: [] });
    expect(status.imports[0]?.values).toContainEqual({ value: 'training-metrics/experiments/*', access: 'write', covered: true, covered_by: 'arn:aws:s3:::cultivarium-fungal/training-metrics/*', statement: 'WriteResults' });
    const recorded = await syncRealm(ctxWith(box, fungal.dir, standIn.env));
    expect(recorded.imports[0]).toMatchObject({ status: 'current', resolved_version: '1.1.0', previous_version: '1.0.0' });
  });

  verifies('binding-access-checked', 'a path the stack grants only for reading is missing when aperture starts writing it, with the reason', async () => {
    const { box, aperture, fungal, fungalRealm, standIn } = await scene();
    await commitFile(box, aperture.dir, 'models/training/models.py', RUN_MODELS);
    const published = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    // The recorded grants do not cover a write there: fungal is told.
    expect(published.notifications).toEqual([expect.objectContaining({ status: 'created', title: 'Update IAM policy: new S3 path training-runs/*/model.pt' })]);
    await git(box, fungalRealm, ['pull', '-q', '--rebase']);
    const status = await realmStatus(ctxWith(box, fungal.dir, standIn.env));
    expect(status.imports[0]).toMatchObject({ status: 'stale', missing: ['training-runs/*/model.pt'] });
    expect(status.imports[0]?.values?.filter((v) => !v.covered)).toEqual([
      {
        value: 'training-runs/*/model.pt',
        access: 'write',
        covered: false,
        reason: 'arn:aws:s3:::cultivarium-fungal/training-runs/* is granted by ReadTrainingData only for s3:GetObject, s3:HeadObject; writing needs s3:PutObject',
      },
    ]);
    expect(status.next_steps).toContain(`Update ${STACK} to cover: training-runs/*/model.pt; then blue realm sync`);
  });

  verifies(['binding-unused-grants', 'breaking-issue-closes'], 'a removed path leaves an unused grant (a hint); the breaking notice names its deadline and closes when the import moves to ^2.0.0', async () => {
    const { box, aperture, fungal, fungalRealm, standIn } = await scene();
    await git(box, aperture.dir, ['rm', '-q', 'models/training/runs.py']);
    await git(box, aperture.dir, ['commit', '-qm', 'runs are gone']);
    const published = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(published.exports[0]).toMatchObject({ to_version: '2.0.0', breaking: true });
    expect(published.notifications).toEqual([expect.objectContaining({ status: 'created', breaking: true })]);
    const [issue] = issuesOf(standIn);
    expect(issue?.body).toContain('**Deadline: 2026-02-07T10:00:00Z**');
    expect(issue?.body).toContain('blue realm import --contract required-s3-permissions --from aperture --version ^2.0.0');

    await git(box, fungalRealm, ['pull', '-q', '--rebase']);
    const status = await realmStatus(ctxWith(box, fungal.dir, standIn.env));
    expect(status.imports[0]).toMatchObject({ status: 'stale', grace_until: '2026-02-07T10:00:00Z', missing: [], unused: [{ grant: 'arn:aws:s3:::cultivarium-fungal/training-runs/*', statement: 'ReadTrainingData' }] });
    expect(status.next_steps).toContain(`Optional: ${STACK} grants what required-s3-permissions no longer needs: arn:aws:s3:::cultivarium-fungal/training-runs/*`);
    expect(status.summary.imports_broken).toBe(0);

    const moved = await importContract(ctxWith(box, fungal.dir, standIn.env), { contract: 'required-s3-permissions', from: 'aperture', version: '^2.0.0', binding: STACK });
    expect(moved).toMatchObject({ status: 'current', closed_notices: [{ from: 'aperture', export: 'required-s3-permissions', version: '2.0.0', status: 'closed', issue: { number: 1 } }] });
    expect(issuesOf(standIn)[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
  });
});

/**
 * Whether Blue runs on a CI runner: `CI` set to anything but empty, `0` or `false`, as CI services
 * set it (`true` on GitHub Actions, GitLab, CircleCI, Buildkite; `1` on some others).
 */
export function runsOnCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

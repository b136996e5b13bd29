import { describe, expect, it } from 'vitest';
import { claimProblem } from '../src/repo-claim.js';

const REALM = { name: 'letemcook', url: 'https://github.com/letemcook/realm.git' };
const config = (body: string): string => `realm:\n${body}`;

describe("a repository's claim to be a domain (its default branch's .blue/config.yaml)", () => {
  it('holds when it names this realm (any spelling of its URL) and this domain', () => {
    expect(claimProblem(config('  name: letemcook\n  url: git@github.com:letemcook/realm\n  domain: aperture\n'), REALM, 'aperture', 'o/aperture')).toBeUndefined();
  });

  it('fails, saying why, for no file, invalid YAML, another domain, another realm name or another realm URL', () => {
    expect(claimProblem(undefined, REALM, 'aperture', 'o/a')).toBe('o/a has no .blue/config.yaml on its default branch');
    expect(claimProblem('realm: [', REALM, 'aperture', 'o/a')).toMatch(/^o\/a's \.blue\/config\.yaml on its default branch is not valid/);
    expect(claimProblem(config('  name: letemcook\n  url: https://github.com/letemcook/realm\n  domain: fungal\n'), REALM, 'aperture', 'o/a')).toBe("o/a's .blue/config.yaml names domain fungal, not aperture");
    expect(claimProblem(config('  name: other\n  url: https://github.com/letemcook/realm\n  domain: aperture\n'), REALM, 'aperture', 'o/a')).toBe("o/a's .blue/config.yaml names realm other, not letemcook");
    expect(claimProblem(config('  name: letemcook\n  url: https://github.com/evil/letemcook\n  domain: aperture\n'), REALM, 'aperture', 'o/a')).toBe("o/a's .blue/config.yaml names the realm at https://github.com/evil/letemcook, not https://github.com/letemcook/realm.git");
    expect(claimProblem(config('  name: letemcook\n  path: ../realm\n  domain: aperture\n'), REALM, 'aperture', 'o/a')).toMatch(/names the realm at \(no url\)/);
  });

  it('a realm with no remote is matched by name (it has no URL to compare)', () => {
    expect(claimProblem(config('  name: letemcook\n  path: ../realm\n  domain: aperture\n'), { name: 'letemcook', url: undefined }, 'aperture', 'o/a')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { remoteUrlKey, sameRemoteUrl } from '@blue/core';

describe('remote URLs as configurations spell them', () => {
  it('https, ssh, scp-like, credentials, trailing slash and .git name one repository', () => {
    const spellings = ['https://github.com/acme/realm.git', 'https://x-access-token:ghs_123@GitHub.com/acme/realm/', 'ssh://git@github.com/acme/realm', 'git@github.com:acme/realm.git', 'github.com:acme/realm'];
    expect(new Set(spellings.map(remoteUrlKey))).toEqual(new Set(['github.com/acme/realm']));
    for (const s of spellings) expect(sameRemoteUrl(s, spellings[0])).toBe(true);
  });

  it('tells apart other repositories, hosts and local paths; a missing URL matches nothing', () => {
    expect(sameRemoteUrl('https://github.com/acme/realm', 'https://github.com/acme/realm-2')).toBe(false);
    expect(sameRemoteUrl('https://github.com/acme/realm', 'https://gitlab.com/acme/realm')).toBe(false);
    expect(sameRemoteUrl('/srv/git/realm.git', '/srv/git/realm')).toBe(true);
    expect(sameRemoteUrl('file:///srv/git/realm.git', '/srv/git/realm')).toBe(true);
    expect(sameRemoteUrl('/srv/git/realm', '/srv/other/realm')).toBe(false);
    expect(sameRemoteUrl('C:/repos/realm', 'c:/repos/realm')).toBe(false);
    expect(sameRemoteUrl(undefined, undefined)).toBe(false);
    expect(sameRemoteUrl('https://github.com/acme/realm', undefined)).toBe(false);
  });
});

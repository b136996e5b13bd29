import { describe, expect, it } from 'vitest';
import { apiHost, isEnterpriseHost, parseRepoUrl, PUBLIC_API_URL, repoFromDomain, resolveApiUrl } from '@blue/github';

describe('repository identity', () => {
  it('prefers github: owner/name from domain.yaml over repo_url', () => {
    expect(repoFromDomain({ github: 'acme/aperture', repo_url: 'https://github.com/other/thing.git' })).toEqual({ owner: 'acme', name: 'aperture' });
  });

  it.each([
    ['https://github.com/acme/aperture', 'github.com'],
    ['https://github.com/acme/aperture.git', 'github.com'],
    ['https://github.com/acme/aperture/', 'github.com'],
    ['https://x-access-token:ghs_secret@ghe.example.com/acme/aperture.git', 'ghe.example.com'],
    ['ssh://git@github.com/acme/aperture.git', 'github.com'],
    ['ssh://git@ghe.example.com:2222/acme/aperture.git', 'ghe.example.com'],
    ['git@github.com:acme/aperture.git', 'github.com'],
    ['github.com:acme/aperture', 'github.com'],
    ['git://github.com/acme/aperture.git', 'github.com'],
  ])('parses %s', (url, host) => {
    expect(parseRepoUrl(url)).toEqual({ owner: 'acme', name: 'aperture', host });
    expect(repoFromDomain({ repo_url: url })).toEqual({ owner: 'acme', name: 'aperture' });
  });

  it.each(['/srv/git/aperture.git', 'file:///srv/git/aperture.git', 'https://github.com/acme', 'https://gitlab.com/group/sub/aperture.git', 'C:/repos/aperture'])(
    'refuses %s with a hint to add github:',
    (url) => {
      expect(parseRepoUrl(url)).toBeUndefined();
      expect(() => repoFromDomain({ repo_url: url }, 'domains/aperture/domain.yaml')).toThrow(
        expect.objectContaining({ code: 'VALUE_INVALID', file: 'domains/aperture/domain.yaml', hint: expect.stringContaining('github: owner/name') }),
      );
    },
  );

  it('redacts credentials in a repo_url it cannot use', () => {
    expect(() => repoFromDomain({ repo_url: 'https://user:hunter2@example.com/a/b/c' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });

  it('refuses a malformed github: value and a domain with neither field', () => {
    expect(() => repoFromDomain({ github: 'acme' })).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }));
    expect(() => repoFromDomain({ name: 'aperture' })).toThrow(expect.objectContaining({ code: 'VALUE_INVALID', message: expect.stringContaining('"aperture"') }));
  });
});

describe('API base URL', () => {
  it('reads BLUE_GITHUB_API_URL, then GITHUB_API_URL, then uses the public API', () => {
    expect(resolveApiUrl({ BLUE_GITHUB_API_URL: 'http://127.0.0.1:9/', GITHUB_API_URL: 'https://api.github.com' })).toBe('http://127.0.0.1:9');
    expect(resolveApiUrl({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe('https://ghe.example.com/api/v3');
    expect(resolveApiUrl({})).toBe(PUBLIC_API_URL);
    expect(resolveApiUrl({ BLUE_GITHUB_API_URL: 'https://a.example/api/v3' }, 'https://b.example//')).toBe('https://b.example');
  });

  it('refuses what is not an http(s) URL, naming the variable', () => {
    expect(() => resolveApiUrl({ BLUE_GITHUB_API_URL: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'VALUE_INVALID', message: expect.stringContaining('BLUE_GITHUB_API_URL') }));
    expect(() => resolveApiUrl({ GITHUB_API_URL: 'not a url' })).toThrow(expect.objectContaining({ message: expect.stringContaining('GITHUB_API_URL') }));
    expect(() => resolveApiUrl({ GITHUB_API_URL: 'https://u:ghp_abcdefghijklmnopqrstuvwxyz0123456789@ghe.example.com/api/v3' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('ghp_abcdefghijklmnopqrstuvwxyz0123456789') }),
    );
  });

  it('derives the host and whether it is an Enterprise Server host', () => {
    expect(apiHost('https://api.github.com')).toBe('github.com');
    expect(apiHost('https://api.octo.ghe.com')).toBe('octo.ghe.com');
    expect(apiHost('https://ghe.example.com/api/v3')).toBe('ghe.example.com');
    expect(isEnterpriseHost('github.com')).toBe(false);
    expect(isEnterpriseHost('octo.ghe.com')).toBe(false);
    expect(isEnterpriseHost('ghe.example.com')).toBe(true);
    expect(isEnterpriseHost('127.0.0.1:4000')).toBe(true);
  });
});

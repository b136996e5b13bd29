import { BlueError, redactSecrets } from '@blue/core';
import { header, isGraphqlError, isRequestError, type OctokitRequestError } from './request-error.js';
import type { TokenSource } from './token.js';

export interface ErrorContext {
  /** What Blue was doing, e.g. `create an issue in acme/widgets`. */
  action: string;
  apiUrl: string;
  tokenSource: TokenSource;
  /** Secrets to mask wherever they appear (the token). */
  secrets: readonly string[];
}

interface FieldError {
  resource?: string;
  field?: string;
  code?: string;
  message?: string;
  value?: unknown;
}

function fieldErrors(err: OctokitRequestError): FieldError[] {
  const data = err.response?.data;
  if (typeof data !== 'object' || data === null) return [];
  const errors = (data as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e: unknown) => (typeof e === 'string' ? { message: e } : typeof e === 'object' && e !== null ? (e as FieldError) : {}));
}

function apiMessage(err: OctokitRequestError): string {
  const data = err.response?.data;
  const message = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message.replace(/\s+/g, ' ').trim() : err.message.split(' - ')[0]!;
}

function describe422(err: OctokitRequestError): { text: string; fields: string[] } {
  const errors = fieldErrors(err);
  const fields = errors.map((e) => e.field).filter((f): f is string => typeof f === 'string' && f !== '');
  const parts = errors.map((e) => {
    const where = e.field ? `field "${e.field}"${e.resource ? ` of ${e.resource}` : ''}` : (e.resource ?? 'request');
    const what = e.message ?? (e.code === 'missing_field' ? 'is missing' : e.code === 'invalid' ? 'is invalid' : e.code === 'already_exists' ? 'already exists' : (e.code ?? 'was rejected'));
    return e.field && e.message ? `${where}: ${what}` : `${where} ${what}`;
  });
  return { text: parts.length > 0 ? parts.join('; ') : apiMessage(err), fields };
}

/**
 * Turns an error from Octokit into a BlueError (GITHUB_AUTH for 401/403, GITHUB_API otherwise)
 * whose message says what Blue was doing, what GitHub answered (the rejected field for a 422) and
 * the request id. The token never appears: every text is redacted, and Octokit's error (which
 * holds the request) is not kept as `cause`. Errors that are not Octokit's are returned as is.
 */
export function toBlueError(err: unknown, ctx: ErrorContext): unknown {
  if (err instanceof BlueError) return err;
  const clean = (text: string): string => redactSecrets(text, ctx.secrets);
  if (isGraphqlError(err)) {
    const messages = (err.errors ?? []).map((e) => e.message).filter(Boolean).join('; ') || err.message;
    return new BlueError('GITHUB_API', clean(`GitHub could not ${ctx.action}: ${messages}`), { hint: 'Re-run the command; if it keeps failing, check the pull request on GitHub.' });
  }
  if (!isRequestError(err)) return err;
  const id = header(err, 'x-github-request-id');
  const suffix = id ? ` (request id ${id})` : '';
  const status = err.status;
  if (err.response === undefined) {
    return new BlueError('GITHUB_API', clean(`Could not reach GitHub at ${ctx.apiUrl} to ${ctx.action}: ${err.message}`), {
      hint: 'Check the network and BLUE_GITHUB_API_URL / GITHUB_API_URL, then re-run; Blue will not create anything twice.',
    });
  }
  if (status === 401) {
    return new BlueError('GITHUB_AUTH', clean(`GitHub refused the token from ${ctx.tokenSource} (401 ${apiMessage(err)}) to ${ctx.action}${suffix}.`), {
      hint: 'Renew the token (`gh auth login`, or a new GH_TOKEN / GH_ENTERPRISE_TOKEN) and re-run.',
    });
  }
  if (status === 403 && header(err, 'x-ratelimit-remaining') !== '0') {
    return new BlueError('GITHUB_AUTH', clean(`GitHub denied the token from ${ctx.tokenSource} permission to ${ctx.action} (403 ${apiMessage(err)})${suffix}.`), {
      hint: 'The token needs write access to issues and pull requests of this repository (classic token: `repo` scope).',
    });
  }
  if (status === 404) {
    return new BlueError('GITHUB_API', clean(`GitHub answered 404 Not Found to ${ctx.action} at ${ctx.apiUrl}${suffix}: the repository or item does not exist, or the token from ${ctx.tokenSource} cannot see it.`), {
      hint: 'Check `github: owner/name` (or repo_url) in the domain file and that the token has access to that repository.',
    });
  }
  if (status === 422) {
    const { text, fields } = describe422(err);
    return new BlueError('GITHUB_API', clean(`GitHub rejected the request to ${ctx.action} (422 ${apiMessage(err).split(':')[0]}): ${text}${suffix}.`), {
      hint: fields.includes('head')
        ? 'Push the branch to the repository first (`blue realm push`), then re-run.'
        : fields.length > 0
          ? `Fix ${fields.map((f) => `"${f}"`).join(', ')} and re-run.`
          : 'Fix the request as GitHub describes and re-run.',
    });
  }
  if (status === 429 || status === 403) {
    const reset = header(err, 'x-ratelimit-reset');
    const when = reset ? ` until ${new Date(Number(reset) * 1000).toISOString()}` : '';
    return new BlueError('GITHUB_API', clean(`GitHub rate-limited the request to ${ctx.action}${when}${suffix}.`), {
      hint: 'Wait for the rate limit to reset, then re-run; Blue will not create anything twice.',
    });
  }
  return new BlueError('GITHUB_API', clean(`GitHub answered ${status} ${apiMessage(err)} to ${ctx.action}${suffix}.`), {
    hint: status >= 500 ? 'GitHub had a problem; re-run later. Blue will not create anything twice.' : undefined,
  });
}

import { BlueError } from '@blue/core';
import { header, isRequestError } from './request-error.js';

export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff for 5xx without retry-after, doubled per retry (default 1000 ms). */
  baseDelayMs?: number;
  /** Longest wait Blue accepts; a rate limit resetting later fails at once (default 60 s). */
  maxDelayMs?: number;
}

const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/**
 * How long to wait before retrying a failed request, or undefined to give up. Rate limits (429, or
 * 403 with `x-ratelimit-remaining: 0` or `retry-after`) honour `retry-after` and
 * `x-ratelimit-reset`, for any method (GitHub did not act on the request). 5xx are retried with
 * exponential backoff for every method but POST: a POST may have created something, and Blue's
 * find-or-create calls are re-run instead. Throws GITHUB_API when a rate limit resets later than
 * `maxDelayMs`.
 */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy, nowMs: number): number | undefined {
  if (!isRequestError(err) || err.response === undefined) return undefined;
  if (attempt >= (policy.retries ?? 3)) return undefined;
  const maxDelay = policy.maxDelayMs ?? 60_000;
  const retryAfter = header(err, 'retry-after');
  const remaining = header(err, 'x-ratelimit-remaining');
  const rateLimited = err.status === 429 || (err.status === 403 && (remaining === '0' || retryAfter !== undefined));
  const serverError = RETRYABLE_5XX.has(err.status) && err.request?.method?.toUpperCase() !== 'POST';
  if (!rateLimited && !serverError) return undefined;
  let delay: number | undefined;
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    delay = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - nowMs;
  } else if (rateLimited && header(err, 'x-ratelimit-reset') !== undefined) {
    delay = Number(header(err, 'x-ratelimit-reset')) * 1000 - nowMs;
  }
  delay = Math.max(0, delay ?? (policy.baseDelayMs ?? 1000) * 2 ** attempt);
  if (delay > maxDelay) {
    if (rateLimited) {
      throw new BlueError('GITHUB_API', `GitHub's rate limit resets in ${Math.ceil(delay / 1000)} s, longer than Blue waits (${Math.round(maxDelay / 1000)} s).`, {
        hint: `Re-run after ${new Date(nowMs + delay).toISOString()}; Blue will not create anything twice.`,
      });
    }
    delay = maxDelay;
  }
  return delay;
}

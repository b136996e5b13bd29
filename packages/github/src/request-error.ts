/** The parts of Octokit's RequestError (name "HttpError") that Blue reads. */
export interface OctokitRequestError {
  name: 'HttpError';
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** Octokit's GraphqlResponseError. */
export interface OctokitGraphqlError {
  name: 'GraphqlResponseError';
  message: string;
  errors?: Array<{ message?: string; type?: string }>;
}

/** Recognises Octokit's RequestError without importing Octokit (it is loaded lazily). */
export function isRequestError(err: unknown): err is OctokitRequestError {
  return err instanceof Error && err.name === 'HttpError' && typeof (err as { status?: unknown }).status === 'number';
}

export function isGraphqlError(err: unknown): err is OctokitGraphqlError {
  return err instanceof Error && err.name === 'GraphqlResponseError';
}

export function header(err: OctokitRequestError, name: string): string | undefined {
  const value = err.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/**
 * Starts work whose result is needed later: its failure is still thrown where it is awaited,
 * but never reported as an unhandled rejection when an earlier step fails first.
 */
export function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

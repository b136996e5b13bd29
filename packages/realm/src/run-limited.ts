import { availableParallelism } from 'node:os';

/**
 * A pool size for per-repo work: twice the machine's parallelism, at least 8, at most 16.
 * The work is git processes, which mostly wait: on the disk, on the network for a push or a pull
 * request, and on the one Node thread that starts them one at a time (each start is a fork of
 * this process). Across the 50 repos of `bench/` on 2 cores, `blue realm worktree` and
 * `commit` + `push` were about 10–15% faster with 8 at a time than with 2, and 12 or 16 were no
 * faster than 8. Bounded so that a big realm does not start a checkout, or a connection to the
 * same host, per repo at once.
 */
export function defaultPoolSize(): number {
  return Math.min(16, Math.max(8, 2 * availableParallelism()));
}

/** Runs `tasks` with at most `limit` at a time; resolves when all are done (tasks handle their own errors). */
export async function runLimited(tasks: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** Files a realm-wide read keeps open at once: far below the usual `ulimit -n` of 256 (or macOS's 256) even with git's own. */
export const FILE_POOL_SIZE = 16;

/** `fn` over `items`, at most `limit` at a time, the results in the items' order (a failure rejects, as Promise.all). */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  await runLimited(items.map((item, i) => async () => {
    results[i] = await fn(item, i);
  }), limit);
  return results;
}

import { availableParallelism } from 'node:os';

/** A pool size for per-repo work: the machine's parallelism, at least 2, at most 8. */
export function defaultPoolSize(): number {
  return Math.min(8, Math.max(2, availableParallelism()));
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

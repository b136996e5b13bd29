/**
 * A number from an environment variable (a timeout, a TTL), or `fallback` when it is unset, blank,
 * not a number, or below `min`. One reading for every such setting, so they all treat a typo alike.
 */
export function envNumber(env: Record<string, string | undefined>, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= min ? value : fallback;
}

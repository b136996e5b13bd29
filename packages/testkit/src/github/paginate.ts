/**
 * Pagination as GitHub does it: `per_page` (default 30, at most 100) and `page` (from 1), with a
 * `Link` header (first, prev, next, last) whose URLs are built from the stand-in's own base URL
 * and keep the request's other query parameters.
 */
export function paginate(
  reply: { page: unknown[]; wrap?: (items: unknown[], total: number) => unknown },
  query: Record<string, unknown>,
  url: URL,
  apiBase: string,
  path: string,
): { status: number; body: unknown; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30)));
  const page = Math.max(1, Number(query.page ?? 1));
  const total = reply.page.length;
  const last = Math.max(1, Math.ceil(total / perPage));
  const items = reply.page.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string): string => {
    const params = new URLSearchParams(url.searchParams);
    params.set('page', String(n));
    return `<${apiBase}${path}?${params.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {};
  return { status: 200, body: reply.wrap ? reply.wrap(items, total) : items, headers };
}

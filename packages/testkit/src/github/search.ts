import type { IssueRecord } from './store.js';

/** A parsed `search/issues` query: the qualifiers the stand-in understands and free-text terms. */
export interface SearchQuery {
  repos: string[];
  kind: 'issue' | 'pr' | undefined;
  state: 'open' | 'closed' | undefined;
  /** Where free text must occur; default title and body. */
  in: Array<'title' | 'body'>;
  head: string | undefined;
  base: string | undefined;
  labels: string[];
  terms: string[];
}

/** A qualifier or value the stand-in does not implement (answered with 501). */
export class UnsupportedQuery extends Error {}

const TOKEN = /([A-Za-z][A-Za-z-]*):("([^"]*)"|\S+)|"([^"]*)"|(\S+)/g;

/** Parses `q` of GET /search/issues (override `search-exact`). */
export function parseSearchQuery(q: string): SearchQuery {
  const query: SearchQuery = { repos: [], kind: undefined, state: undefined, in: [], head: undefined, base: undefined, labels: [], terms: [] };
  for (const m of q.matchAll(TOKEN)) {
    const [, key, rawValue, quotedValue, phrase, word] = m;
    if (key === undefined) {
      const term = phrase ?? word ?? '';
      if (term) query.terms.push(term.toLowerCase());
      continue;
    }
    const value = quotedValue ?? rawValue ?? '';
    switch (key.toLowerCase()) {
      case 'repo':
        query.repos.push(value.toLowerCase());
        break;
      case 'is':
      case 'type':
      case 'state': {
        const v = value.toLowerCase();
        if (v === 'issue') query.kind = 'issue';
        else if (v === 'pr' || v === 'pull-request') query.kind = 'pr';
        else if (v === 'open' || v === 'closed') query.state = v;
        else throw new UnsupportedQuery(`${key}:${value}`);
        break;
      }
      case 'in':
        for (const where of value.toLowerCase().split(',')) {
          if (where !== 'title' && where !== 'body') throw new UnsupportedQuery(`in:${where}`);
          query.in.push(where);
        }
        break;
      case 'head':
        query.head = value;
        break;
      case 'base':
        query.base = value;
        break;
      case 'label':
        query.labels.push(value.toLowerCase());
        break;
      default:
        throw new UnsupportedQuery(`${key}:${value}`);
    }
  }
  return query;
}

export function matchesSearch(issue: IssueRecord, query: SearchQuery): boolean {
  if (!issue.indexed) return false;
  const full = `${issue.repo.owner}/${issue.repo.name}`.toLowerCase();
  if (query.repos.length > 0 && !query.repos.includes(full)) return false;
  if (query.kind === 'issue' && issue.pull) return false;
  if (query.kind === 'pr' && !issue.pull) return false;
  if (query.state && issue.state !== query.state) return false;
  if (query.head !== undefined && issue.pull?.head !== query.head) return false;
  if (query.base !== undefined && issue.pull?.base !== query.base) return false;
  const labels = issue.labels.map((l) => l.toLowerCase());
  if (!query.labels.every((l) => labels.includes(l))) return false;
  const where = query.in.length > 0 ? query.in : ['title', 'body'];
  const text = where.map((w) => (w === 'title' ? issue.title : issue.body ?? '')).join('\n').toLowerCase();
  return query.terms.every((t) => text.includes(t));
}

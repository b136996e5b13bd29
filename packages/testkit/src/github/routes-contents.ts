import { posix } from 'node:path';
import { fileAt } from './remote.js';
import { notFound, requireRepo, type RouteHandler } from './routes-common.js';

/**
 * repos/get-content for files: read from the repository's bare remote at `ref` (default: the
 * default branch), as GitHub answers with `application/json`: the bytes base64-encoded. A repo
 * without a remote has no files; folders, symlinks and submodules are not served either (404).
 */
const getContent: RouteHandler = async (ctx) => {
  const repo = requireRepo(ctx);
  const path = ctx.params.path ?? '';
  const ref = typeof ctx.query.ref === 'string' && ctx.query.ref !== '' ? ctx.query.ref : repo.defaultBranch;
  if (repo.remote === undefined) throw notFound();
  const file = await fileAt(repo.remote, ref, path);
  if (file === undefined) throw notFound();
  const api = `${ctx.base.api}/repos/${repo.owner}/${repo.name}`;
  const at = path.split('/').map(encodeURIComponent).join('/');
  const html = `${ctx.base.web}/${repo.owner}/${repo.name}/blob/${encodeURIComponent(ref)}/${at}`;
  const self = `${api}/contents/${at}?ref=${encodeURIComponent(ref)}`;
  const git = `${api}/git/blobs/${file.sha}`;
  return {
    status: 200,
    body: {
      type: 'file',
      encoding: 'base64',
      size: file.content.length,
      name: posix.basename(path),
      path,
      content: file.content.toString('base64').replace(/.{60}/g, '$&\n'),
      sha: file.sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url: `${ctx.base.web}/${repo.owner}/${repo.name}/raw/${encodeURIComponent(ref)}/${at}`,
      _links: { git, html, self },
    },
  };
};

export const CONTENT_ROUTES: Record<string, RouteHandler> = {
  'repos/get-content': getContent,
};

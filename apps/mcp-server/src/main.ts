import { createRequire } from 'node:module';
import { helpText, selfLauncher } from './help.js';

function packageVersion(): string {
  // By name, so that it resolves from a bundle too (the blue CLI bundles this package, bin/blue-mcp.js).
  const pkg = createRequire(import.meta.url)('@blue/mcp-server/package.json') as { version: string };
  return pkg.version;
}

/**
 * Runs blue-mcp over stdio until stdin closes or a termination signal arrives. serveStdio serves
 * both protocol eras from one factory: a 2025 client opens with initialize, a 2026-07-28 client
 * with server/discover or an enveloped request.
 */
export async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText(selfLauncher(process.argv[1] ?? 'blue-mcp', process.execPath)));
    return;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  // The SDK and the use cases load only to serve, so --help and --version stay quick.
  const [{ serveStdio, StdioServerTransport }, { attachLiveSession, LiveHub }, { buildServer }, { toolDeps }, { guardStdin }, { KeptRealmViews }] = await Promise.all([
    import('@modelcontextprotocol/server/stdio'),
    import('./live.js'),
    import('./server.js'),
    import('./tool-deps.js'),
    import('./stdin-guard.js'),
    import('@blue/realm'),
  ]);
  // One process, one set of kept realm snapshots, shared by every connection and tool call.
  const kept = new KeptRealmViews();
  const options = { cwd: process.cwd(), env: process.env, version: packageVersion(), kept };
  const hub = new LiveHub();
  const transport = new StdioServerTransport(guardStdin(process.stdin, process.stdout), process.stdout);
  const handle = serveStdio(({ era }) => buildServer(options, era, hub), { transport, onerror: (err) => process.stderr.write(`blue-mcp: ${err.message}\n`) });
  let stopping = false;
  let live: Awaited<ReturnType<typeof attachLiveSession>> | undefined;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // Deregister and unlink the socket before exiting, so no listing ever shows a dead session.
    await live?.close().catch(() => undefined);
    await handle.close().catch(() => undefined);
    kept.close();
    process.exit(code);
  };
  process.stdin.on('end', () => void stop(0));
  process.stdin.on('close', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  try {
    live = await attachLiveSession(hub, toolDeps(options));
    if (stopping) await live?.close();
    process.stderr.write(live ? `blue-mcp: live session for ${live.domain} in realm ${live.realm.name}\n` : 'blue-mcp: not in a realm; running without a live session\n');
  } catch (err) {
    process.stderr.write(`blue-mcp: no live session: ${(err as Error).message}\n`);
  }
}

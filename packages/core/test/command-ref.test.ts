import { describe, expect, it } from 'vitest';
import { speakMcp } from '@blue/core';

const tools = new Set(['status', 'realm sync', 'realm worktree', 'realm approve', 'realm import', 'realm join', 'realm export', 'realm check']);
const mcp = (text: string): string => speakMcp(text, (command) => tools.has(command));

describe('speakMcp: one message, rendered for the MCP face', () => {
  it('turns commands into tool calls with their arguments', () => {
    expect(mcp('blue realm sync --dry-run  # publish this')).toBe('blue_realm_sync {"dry_run": true}  # publish this');
    expect(mcp('blue realm worktree --rfc <name>  # start coordinated changes')).toBe('blue_realm_worktree {"rfc": "<name>"}  # start coordinated changes');
    expect(mcp('ask an approver to run: blue realm approve --domain aperture --export limits --version 2.0.0')).toBe(
      'ask an approver to run: blue_realm_approve {"domain": "aperture", "export": "limits", "version": "2.0.0"}',
    );
    expect(mcp('Update x.py to cover: a/*, b/*; then blue realm sync')).toBe('Update x.py to cover: a/*, b/*; then blue_realm_sync {}');
    expect(mcp('Commit a.py: `blue realm sync` publishes only committed work (or add --allow-dirty).')).toBe('Commit a.py: `blue_realm_sync {}` publishes only committed work (or add "allow_dirty").');
    expect(mcp('retried by the next blue realm sync (skip with --no-notify).')).toBe('retried by the next blue_realm_sync {} (skip with "notify": false).');
    expect(mcp('cd /repos/app/.worktrees/feat-x && blue status')).toBe('blue_status {"cwd": "/repos/app/.worktrees/feat-x"}');
    expect(mcp('In each code repo: blue realm join ../realm --as <domain>')).toBe('In each code repo: blue_realm_join {"realm_path": "../realm", "as": "<domain>"}');
    expect(mcp("e.g. blue realm export --name api-url --value '\"https://x\"'")).toBe('e.g. blue_realm_export {"name": "api-url", "value": "\\"https://x\\""}');
  });

  it('turns bare flags into argument names, and leaves other programs and people-only commands alone', () => {
    expect(mcp('Name the change with --rfc.')).toBe('Name the change with "rfc".');
    expect(mcp('Give exactly one of --value, --file or --detect.')).toBe('Give exactly one of "value", "file" or "detect".');
    expect(mcp('Run the command inside a git repository (or pass --cwd), or `git init` one first.')).toBe('Run the command inside a git repository (or pass "cwd"), or `git init` one first.');
    expect(mcp('(git -C /r pull --rebase, or just blue realm sync).')).toBe('(git -C /r pull --rebase, or just blue_realm_sync {}).');
    expect(mcp('blue mcp install --client claude-code  # register')).toBe('blue mcp install --client claude-code  # register');
    expect(mcp('git add .blue/exports.yaml && git commit -m "Declare export"')).toBe('git add .blue/exports.yaml && git commit -m "Declare export"');
    expect(mcp('Nothing to do.')).toBe('Nothing to do.');
  });
});

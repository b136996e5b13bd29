import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { domainFilePath, parseYaml, REPO_EXPORTS_FILE } from '@blue/core';
import type { CheckFinding } from '@blue/realm';
import type { SarifLocation } from '../render/check-formats.js';

const IMPORT_MESSAGE = /^import "([^"]+)" from (\S+) /;

/**
 * Locations of a check's findings in the code repository the Action runs in (where code scanning
 * shows them on the pull request): this domain's import findings on the import's binding file,
 * its export findings on the export's line of .blue/exports.yaml, anything else on
 * .blue/config.yaml (the repo's link to the realm), the realm file named in the message.
 */
export async function codeRepoLocator(repo: string, realmPath: string, domain: string): Promise<(f: CheckFinding) => SarifLocation> {
  const bindings = await readBindings(realmPath, domain);
  const exportsText = await readFile(join(repo, REPO_EXPORTS_FILE), 'utf8').catch(() => '');
  return (f) => {
    if (f.domain === domain && f.rule.startsWith('import-')) {
      const [, contract, from] = IMPORT_MESSAGE.exec(f.message) ?? [];
      const binding = bindings.find((b) => b.contract === contract && b.from === from)?.binding;
      if (binding !== undefined) return { uri: binding };
    }
    if (f.domain === domain && f.rule.startsWith('export-')) {
      const name = /^export "([^"]+)"/.exec(f.message)?.[1];
      const index = name === undefined ? -1 : exportsText.split('\n').findIndex((l) => new RegExp(`name:\\s*["']?${name}["']?\\s*$`).test(l));
      return { uri: REPO_EXPORTS_FILE, line: index >= 0 ? index + 1 : undefined };
    }
    return { uri: '.blue/config.yaml' };
  };
}

async function readBindings(realmPath: string, domain: string): Promise<Array<{ contract: string; from: string; binding: string }>> {
  const file = domainFilePath(domain, 'imports.yaml');
  const text = await readFile(join(realmPath, file), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  try {
    const value = parseYaml(text, file).value as { imports?: Array<{ contract: string; from: string; binding: string }> } | null;
    return value?.imports ?? [];
  } catch {
    return [];
  }
}

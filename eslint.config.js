// One eslint config for the workspace: typescript-eslint type-checked rules, named exports only,
// no console in libraries, and the layer direction apps -> realm -> {core, git, github, ipc} -> core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const siblingByPath = { group: ['../../*/src/*', '../../../packages/*', '../../packages/*'], message: 'Import sibling packages by name (@blue/...), not by relative path.' };
const faces = { group: ['@blue/cli', '@blue/cli/*', '@blue/mcp-server', '@blue/mcp-server/*', '@oclif/*'], message: 'Packages never import the faces or oclif.' };

function restrict(patterns, paths = []) {
  return { 'no-restricted-imports': ['error', { patterns, paths }] };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.tsbuild/**', '**/coverage/**', 'apps/*/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }, { selector: 'ExportAllDeclaration', message: 'Export names explicitly, not with export *.' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  { files: ['packages/**/*.ts'], ignores: ['packages/testkit/**'], rules: { 'no-console': 'error' } },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: restrict(
      [{ group: ['@blue/*', 'execa', '@octokit/*'], message: '@blue/core stays pure: no other package of ours, no processes, no network.' }, siblingByPath],
      [
        { name: 'node:child_process', message: '@blue/core runs no processes.' },
        { name: 'child_process', message: '@blue/core runs no processes.' },
        { name: 'node:net', message: '@blue/core opens no sockets.' },
        { name: 'net', message: '@blue/core opens no sockets.' },
      ],
    ),
  },
  ...['git', 'github', 'ipc'].map((pkg) => ({
    files: [`packages/${pkg}/src/**/*.ts`],
    rules: restrict([{ group: ['@blue/*', '!@blue/core', `!@blue/${pkg}`], message: `packages/${pkg} may import only @blue/core of our packages.` }, siblingByPath, faces]),
  })),
  { files: ['packages/realm/src/**/*.ts'], rules: restrict([{ group: ['@blue/testkit', '@blue/realm'], message: 'realm composes core, git, github and ipc only.' }, siblingByPath, faces]) },
  { files: ['apps/*/src/**/*.ts'], rules: restrict([{ group: ['@blue/git', '@blue/github', '@blue/ipc', '@blue/testkit'], message: 'The faces call use cases in @blue/realm, not the lower packages.' }, siblingByPath]) },
  // oclif discovers commands by their default export; tool configs are default-exported by convention.
  { files: ['apps/cli/src/commands/**/*.ts', '*.config.ts', '*.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  // Asymmetric matchers (expect.objectContaining, …) are typed `any` by vitest.
  { files: ['**/test/**/*.ts'], rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' } },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['scripts/**/*.mjs', '*/*/scripts/**/*.mjs'], languageOptions: { globals: { process: 'readonly', URL: 'readonly' } } },
);

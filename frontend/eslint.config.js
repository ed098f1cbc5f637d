import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

const features = ['orgs', 'auth', 'admin', 'meetings', 'consultations', 'plans', 'budgets', 'search', 'open-data'];

export default tseslint.config(
  { ignores: ['dist', 'src/api/schema.d.ts'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { 'react-hooks': reactHooks, import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx'] } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Features do not import from each other; shared code lives in components/ and lib/,
      // and only app/ composes features (bulletproof-react's rule).
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            ...features.map((f) => ({
              target: `./src/features/${f}`,
              from: './src/features',
              except: [`./${f}`],
            })),
            { target: './src/features', from: './src/app' },
            { target: ['./src/components', './src/lib'], from: ['./src/features', './src/app'] },
          ],
        },
      ],
    },
  },
  {
    // What a user may do is the server's word (`can` flags), read in one place.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/lib/permissions.ts', 'src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(includes|some|every)$/][callee.object.property.name='roles']",
          message: 'Role checks live in lib/permissions.ts (canEdit, canCreate, …).',
        },
        {
          selector: "MemberExpression[property.name='platform_admin']",
          message: 'Role checks live in lib/permissions.ts (canCreateOrg, canManageMembers).',
        },
      ],
    },
  },
);

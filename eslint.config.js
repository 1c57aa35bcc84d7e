import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.ci/.node/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Only main.ts reads inputs (through src/inputs/); every later stage takes Settings from src/domain.ts.
    // __tests__/unit/import-graph.test.ts checks the whole layering and runtime cycles.
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/index.ts', 'src/inputs/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)inputs(/|\\.ts$|$)',
              message: 'Only main.ts reads inputs: take Settings (or a part of it) from src/domain.ts instead.',
            },
          ],
        },
      ],
    },
  },
)

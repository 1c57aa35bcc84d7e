// ESM + TypeScript: ts-jest transpiles each file on its own (type checking is `npm run typecheck`).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: { allowImportingTsExtensions: true, verbatimModuleSyntax: false } },
    ],
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 30000,
}

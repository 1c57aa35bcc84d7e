// One Jest project per kind of test, each a folder of __tests__/ (see __tests__/README.md): `npm test` runs them
// all, `npm run test:unit` (and :integration, :e2e, :browser) one. __tests__/unit/test-layout.test.ts fails for a
// test file that sits in no project's folder, which would otherwise never run.
export const KINDS = ['unit', 'integration', 'e2e', 'browser']

// ESM + TypeScript: ts-jest transpiles each file on its own (type checking is `npm run typecheck`).
const typescript = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: { allowImportingTsExtensions: true, verbatimModuleSyntax: false } },
    ],
  },
  testTimeout: 30000,
}

export default {
  projects: KINDS.map((kind) => ({
    ...typescript,
    displayName: kind,
    testMatch: [`<rootDir>/__tests__/${kind}/**/*.test.ts`],
  })),
}

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
}

export default {
  // Jest reads the time-out from the top level only, not from a project.
  testTimeout: 30000,
  projects: KINDS.map((kind) => ({
    ...typescript,
    displayName: kind,
    testMatch: [`<rootDir>/__tests__/${kind}/**/*.test.ts`],
  })),
}

// Import rules, checked by `npm test` (and so by CI): no cycles, type imports included; plumbing in
// src/platform/ knows no feature. Exceptions are named here with their reason.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle means two modules cannot be understood, tested or loaded one without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-knows-no-feature',
      comment:
        'src/platform/ is shared plumbing. It may use the database shape (database.ts), the migration set ' +
        '(the schema the store migrates to) and the version; nothing of a feature.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: ['^src/platform/', '^src/database\\.ts$', '^src/migrations/', '^src/version\\.ts$'] },
    },
    {
      name: 'features-meet-through-services',
      comment:
        "A feature reaches another through what that one offers: its services, queries, views and types. " +
        "Another feature's routes (*.pages, *.routes) and data access (*.repository, *.table) are its own. " +
        'The history writer (history/history.repository.ts) is the one writer of every history event, for all.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/([^/]+)/.*\\.(pages|routes|repository|table)\\.tsx?$',
        pathNot: ['^src/$1/', '^src/history/history\\.repository\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

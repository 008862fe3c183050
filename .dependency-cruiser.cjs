// Import checks, run by scripts/test-all.sh (npm run check:imports): no module reaches itself
// through its imports; the engine, package reading and upload rules import no web, database or
// configuration code; production code imports nothing from test/. scripts/check-imports.ts
// runs these rules and one more dependency-cruiser cannot state: lib/'s top-level folders form
// no cycle (their intended layering is scripts/imports/layers.ts).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "A module reaches itself through its imports (type-only imports count: they tie the modules' shapes together too).",
      from: {},
      to: { circular: true },
    },
    {
      name: "pure-libraries",
      severity: "error",
      comment:
        "Package reading, the signature engine and the upload rules are free of web, database, storage and configuration code " +
        "(what they need of the gallery's records is handed in: lib/validation/records.ts).",
      from: { path: "^lib/(signing|zip|nuspec|versioning|issues|validation)/", pathNot: "\\.test\\.ts$" },
      to: {
        path: "^(app|generated|test|scripts)/|^lib/|^node_modules/(next|next-auth|@prisma)/",
        // The ESS signing-certificate attribute and digest names are shared with the timestamp
        // authority code in lib/timestamping (pure ASN.1 building too).
        pathNot: "^lib/(signing|zip|nuspec|versioning|issues|validation)/|^lib/timestamping/(ess|algorithms)\\.ts$",
      },
    },
    {
      name: "production-code-imports-no-tests",
      severity: "error",
      comment:
        "Test helpers, fixtures and the test timestamp authority live under test/ or scripts/; production code does not import them.",
      from: { path: "^(lib|app)/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(generated|\\.next)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs"],
    },
  },
};

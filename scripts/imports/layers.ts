// The intended layering of lib/'s top-level folders, bottom first. Read the list as one order:
// a folder imports only folders before it (today's imports all do). npm run check:imports
// fails on any cycle among the folders (folder-cycles.ts), and in a cycle's message marks the
// imports that go up this order: those are the ones to move to the folder they belong in, split
// off, or invert by passing the dependency in. A folder missing here is still checked for
// cycles; add it where it fits.
export const LIB_LAYERS: ReadonlyArray<{ role: string; parts: readonly string[] }> = [
  {
    role: "foundations: issue vocabulary, versions, zip reading, ASN.1 for timestamps, graph algorithms",
    parts: ["lib/issues", "lib/versioning", "lib/zip", "lib/timestamping", "lib/graph"],
  },
  { role: "package reading and the signature engine", parts: ["lib/nuspec", "lib/signing"] },
  {
    role: "pure gallery rules: upload rules, what a client is told to configure, trust policy",
    parts: ["lib/validation", "lib/nuget-client", "lib/policy"],
  },
  {
    role: "configuration and infrastructure: database, storage, audit, outbox, HTTP helpers, sign-in, trust roots, publication log",
    parts: [
      "lib/config.ts",
      "lib/db",
      "lib/storage",
      "lib/audit",
      "lib/outbox",
      "lib/http",
      "lib/auth",
      "lib/trust",
      "lib/tlog",
    ],
  },
  {
    role: "records of accounts' signers and keys",
    parts: ["lib/api-keys", "lib/certificates", "lib/identity", "lib/trusted-publishing"],
  },
  { role: "package views and their search index", parts: ["lib/packages", "lib/search", "lib/copies"] },
  { role: "use cases that change packages", parts: ["lib/owners", "lib/uploads"] },
  { role: "background jobs", parts: ["lib/jobs"] },
  {
    role: "the composition root: the process's long-lived dependencies, built once (the folders below take them as arguments)",
    parts: ["lib/services.ts"],
  },
  {
    role: "entry points that read the composition root: who is signed in, administration, the NuGet protocol (and app/ above all)",
    parts: ["lib/web", "lib/admin", "lib/feed"],
  },
];

const ORDER = LIB_LAYERS.flatMap(({ parts }) => parts);

/** Whether an import from one part to another goes up the order (both must be listed). */
export function importsUpward(from: string, to: string): boolean {
  const [fromPosition, toPosition] = [ORDER.indexOf(from), ORDER.indexOf(to)];
  return fromPosition !== -1 && toPosition !== -1 && toPosition > fromPosition;
}

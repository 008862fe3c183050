// The gallery's policy verdicts against the real client. Sixteen dependency graphs (2 to 6
// levels) are published to the running gallery (`next start`), mixing packages author-signed by a
// registered certificate, unsigned uploads (which the gallery serves repository-signed only),
// unsigned versions served as published before the gallery repository-signed (not signed at all),
// packages signed by a certificate later marked compromised or no longer registered, and
// dependencies the gallery does not have. For each graph and each policy, the verdict the
// gallery predicts (GET /api/packages/{id}/{version}/trust) must be what `dotnet restore` does
// with the nuget.config the gallery generates for that policy: pass, or fail with the same NU
// codes.
//   Developer: accept mode, DOTNET_NUGET_SIGNATURE_VERIFICATION=false (restore checks nothing);
//   Default:   accept mode, verification on;
//   Secure:    require mode with the suggested trustedSigners, verification on.
// The consumer's SDK overlay trusts the e2e code-signing and timestamping roots and the gallery's
// development root (its repository certificate and timestamp authority). Every project restores
// into its own package folder, so each package is verified in each project; all projects of the
// checked policies restore in one `dotnet restore`, Developer's in a second one run beside it.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { expect, test, type Browser, type APIRequestContext } from "@playwright/test";
import type { Db } from "@/lib/db";
import type { GraphView } from "@/lib/packages/dependency-graph";
import type { PolicyMode } from "@/lib/policy/verdicts";
import { createOverlaySdk, findInstalledSdk, runDotnet, type OverlaySdk } from "@/test/support/dotnet";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { seededRandom } from "@/test/support/dependency-graphs";
import { newAccount, signUp } from "./helpers";
import { E2E_PKI_FILES, e2eDataDir, e2ePkiDir } from "./support/environment";
import { createPushKey, publishPackageFile, registerCertificate, withGalleryDatabase } from "./support/gallery";
import {
  skipWithoutDotnet,
  issueSigningIdentity,
  signPackages,
  writePackage,
  type SigningIdentity,
} from "./support/pki";

type Kind = "author" | "repository" | "unsigned" | "compromised" | "unregistered" | "missing";

interface GraphNode {
  id: string;
  kind: Kind;
  dependencies: string[];
}

interface TrustGraph {
  name: string;
  root: string;
  levels: number;
  nodes: GraphNode[];
}

const MODES: PolicyMode[] = ["developer", "default", "secure"];
const GRAPHS = 16;

/**
 * Graph g has 2 + g % 5 levels of one or two packages, each depending on one or two of the next
 * level (every package has a parent). Its kinds follow g % 4: author-signed only; author-signed
 * and repository-signed only (with one version not signed at all when g % 8 is 5); with a
 * compromised or an unregistered signer; with a missing package.
 */
function generateGraphs(run: string): TrustGraph[] {
  const random = seededRandom(20261201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: GRAPHS }, (_, g) => {
    const levels = 2 + (g % 5);
    const prefix = `E2E.Trust.${run}.G${g}`;
    const mix: Kind[] = g % 4 === 0 ? ["author"] : ["author", "repository"];
    const risky: Kind = g % 8 === 2 ? "compromised" : "unregistered";
    const layers: GraphNode[][] = [];
    for (let level = 0; level < levels; level += 1) {
      const width = level === 0 ? 1 : 1 + Math.floor(random() * 2);
      layers.push(
        Array.from({ length: width }, (_, index) => ({
          id: `${prefix}.L${level}N${index}`,
          kind: level === 0 ? (mix[g % mix.length] as Kind) : pick(mix),
          dependencies: [],
        })),
      );
    }
    for (let level = 0; level + 1 < levels; level += 1) {
      const below = layers[level + 1] as GraphNode[];
      for (const node of layers[level] as GraphNode[]) {
        const count = Math.min(below.length, 1 + Math.floor(random() * 2));
        for (const child of [...below].sort(() => random() - 0.5).slice(0, count)) node.dependencies.push(child.id);
      }
      for (const child of below)
        if (!(layers[level] as GraphNode[]).some((node) => node.dependencies.includes(child.id)))
          (layers[level] as GraphNode[])[0]?.dependencies.push(child.id);
    }
    const nodes = layers.flat();
    // The deepest level gets the risky signer or the unsigned version, so the problem is as far from the project as it goes.
    const deepest = (layers[levels - 1] as GraphNode[])[0] as GraphNode;
    if (g % 4 === 2) deepest.kind = risky;
    if (g % 8 === 5) deepest.kind = "unsigned";
    if (g % 4 === 3) {
      const missing: GraphNode = { id: `${prefix}.Missing`, kind: "missing", dependencies: [] };
      pick(nodes).dependencies.push(missing.id);
      nodes.push(missing);
    }
    return { name: `G${g}`, root: `${prefix}.L0N0`, levels, nodes };
  });
}

interface Publisher {
  request: APIRequestContext;
  key: string;
}

async function accountWithKey(browser: Browser): Promise<Publisher & { username: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const account = newAccount();
  await signUp(page, account);
  return { request: page.request, key: await createPushKey(page.request), username: account.username };
}

function nuspecDependencies(node: GraphNode): string {
  if (node.dependencies.length === 0) return "";
  return `\n    <dependencies><group>${node.dependencies.map((id) => `<dependency id="${id}" version="1.0.0" />`).join("")}</group></dependencies>`;
}

/**
 * Serves a published version as the gallery served versions before it repository-signed what it
 * publishes (until the backfill reaches them): the bytes as uploaded, with the upload's report.
 */
async function serveAsPublishedBeforeRepositorySigning(db: Db, id: string, file: string): Promise<void> {
  const bytes = await readFile(file);
  const row = await db.packageVersion.findFirstOrThrow({
    where: { registration: { packageIdLower: id.toLowerCase() }, versionLower: "1.0.0" },
    select: { id: true, storageKey: true, uploadedSha512: true, uploadAttempt: { select: { signatureReport: true } } },
  });
  const sha512 = createHash("sha512").update(bytes).digest("base64");
  expect(sha512, `${id} as uploaded`).toBe(row.uploadedSha512);
  await new LocalFolderStorage(path.join(e2eDataDir, "packages")).put(row.storageKey, Readable.from([bytes]));
  await db.packageVersion.update({
    where: { id: row.id },
    data: {
      sha512,
      packageSize: bytes.length,
      signatureReport: row.uploadAttempt?.signatureReport ?? null,
      repositoryCertificateId: null,
      repositorySignedAt: null,
    },
  });
}

/** The error codes restore reported for one project: its assets file's error logs and its error lines in the output. */
async function restoreErrors(projectFile: string, output: string): Promise<string[]> {
  const codes = new Set<string>();
  for (const line of output.split("\n")) {
    const match = /^\s*(\S+\.csproj) : error (NU\d{4})/.exec(line);
    if (match && path.resolve(match[1] ?? "") === projectFile) codes.add(match[2] ?? "");
  }
  try {
    const assets = JSON.parse(
      await readFile(path.join(path.dirname(projectFile), "obj", "project.assets.json"), "utf8"),
    ) as { logs?: Array<{ code: string; level: string }> };
    for (const log of assets.logs ?? []) if (log.level === "Error") codes.add(log.code);
  } catch {
    // No assets file: restore stopped before writing one; the output lines are all there is.
  }
  return [...codes].sort();
}

test("the gallery's verdict under each policy is what dotnet restore does, for 16 dependency graphs", async ({
  browser,
  request,
}) => {
  skipWithoutDotnet();
  test.setTimeout(900_000);
  const installed = await findInstalledSdk();
  if (!installed) throw new Error("dotnet is available to the e2e PKI but not found on PATH");
  const started = Date.now();
  const run = randomBytes(3).toString("hex");
  const graphs = generateGraphs(run);
  const allNodes = graphs.flatMap((graph) => graph.nodes);
  for (const kind of ["author", "repository", "unsigned", "compromised", "unregistered", "missing"] as Kind[])
    expect(
      allNodes.some((node) => node.kind === kind),
      kind,
    ).toBe(true);
  expect(new Set(graphs.map((graph) => graph.levels))).toEqual(new Set([2, 3, 4, 5, 6]));

  // Publishers: an author with a registered certificate, an account that pushes unsigned packages,
  // and one whose certificates end up compromised or unregistered.
  // One after another: three password hashes at once on a loaded 2-core runner outlast sign-up's wait.
  const author = await accountWithKey(browser);
  const plain = await accountWithKey(browser);
  const risky = await accountWithKey(browser);
  const identities: Record<"author" | "compromised" | "unregistered", SigningIdentity> = {
    author: await issueSigningIdentity(`E2E Trust Author ${run}`),
    compromised: await issueSigningIdentity(`E2E Trust Compromised ${run}`),
    unregistered: await issueSigningIdentity(`E2E Trust Unregistered ${run}`),
  };
  await registerCertificate(author.request, identities.author);
  await registerCertificate(risky.request, identities.compromised);
  await registerCertificate(risky.request, identities.unregistered);

  const published = allNodes.filter((node) => node.kind !== "missing");
  const files = new Map<string, string>();
  for (const node of published)
    files.set(node.id, await writePackage({ id: node.id, version: "1.0.0", metadataXml: nuspecDependencies(node) }));
  for (const kind of ["author", "compromised", "unregistered"] as const) {
    const ids = published.filter((node) => node.kind === kind).map((node) => node.id);
    const signed = await signPackages(
      ids.map((id) => files.get(id) as string),
      identities[kind],
    );
    ids.forEach((id, index) => files.set(id, signed[index] as string));
  }
  const publisherOf = (kind: Kind) =>
    kind === "author" ? author : kind === "repository" || kind === "unsigned" ? plain : risky;
  for (const node of published)
    await publishPackageFile(publisherOf(node.kind).request, publisherOf(node.kind).key, files.get(node.id) as string);
  // After publishing: one certificate marked compromised (before it signed), the other no longer
  // registered by anyone, and the unsigned versions served as uploaded.
  await withGalleryDatabase(async (db) => {
    for (const node of published.filter((entry) => entry.kind === "unsigned"))
      await serveAsPublishedBeforeRepositorySigning(db, node.id, files.get(node.id) as string);
    const fingerprint = (identity: SigningIdentity) => identity.sha256Fingerprint.toLowerCase();
    await db.certificate.update({
      where: { sha256Fingerprint: fingerprint(identities.compromised) },
      data: { compromisedAt: new Date("2000-01-01T00:00:00Z"), compromisedReason: "e2e: key stolen" },
    });
    const unregistered = await db.certificate.findUniqueOrThrow({
      where: { sha256Fingerprint: fingerprint(identities.unregistered) },
    });
    await db.registeredCertificate.deleteMany({ where: { certificateId: unregistered.id } });
  });
  const publishedAt = Date.now();

  // The consumer trusts the e2e roots and the gallery's development root (made at the first publish).
  const developmentRoot = await readFile(path.join(e2eDataDir, "repository-signing", "root.pem"), "utf8");
  const workspace = path.join(e2ePkiDir, "work", `consumer-trust-${run}`);
  const consumer: OverlaySdk = await createOverlaySdk(installed, path.join(workspace, "sdk"), {
    codeSigning: [await readFile(E2E_PKI_FILES.codeSigningRoot, "utf8"), developmentRoot],
    timestamping: [await readFile(E2E_PKI_FILES.timestampingRoot, "utf8"), developmentRoot],
  });
  const framework = `net${installed.version.split(".")[0]}.0`;

  const cases: Array<{
    graph: TrustGraph;
    mode: PolicyMode;
    project: string;
    predicted: { passes: boolean; codes: string[] };
  }> = [];
  for (const graph of graphs) {
    const response = await request.get(`/api/packages/${graph.root}/1.0.0/trust?framework=${framework}`);
    expect(response.status(), await response.text()).toBe(200);
    const view = (await response.json()) as GraphView;
    expect(view.nodes.length + view.missing.length, graph.name).toBe(graph.nodes.length);
    for (const mode of MODES) {
      const verdict = view.verdicts.find((entry) => entry.mode === mode);
      if (!verdict) throw new Error(`no ${mode} verdict for ${graph.name}`);
      const directory = path.join(workspace, "projects", `${graph.name}-${mode}`);
      await mkdir(directory, { recursive: true });
      const project = path.join(directory, `${graph.name}-${mode}.csproj`);
      await writeFile(
        project,
        `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>${framework}</TargetFramework>
    <NuGetAudit>false</NuGetAudit>
    <RestorePackagesPath>$(MSBuildProjectDirectory)/packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup><PackageReference Include="${graph.root}" Version="[1.0.0]" /></ItemGroup>
</Project>
`,
      );
      // The nuget.config exactly as a person downloads it from the graph page.
      const config = await request.get(
        `/packages/${graph.root}/1.0.0/graph/nuget.config?framework=${framework}&mode=${mode}`,
      );
      expect(config.status()).toBe(200);
      await writeFile(path.join(directory, "nuget.config"), await config.text());
      cases.push({
        graph,
        mode,
        project,
        predicted: { passes: verdict.outcome !== "refuse", codes: [...verdict.errorCodes].sort() },
      });
    }
  }
  const solution = async (name: string, modes: PolicyMode[]) => {
    const file = path.join(workspace, `${name}.slnx`);
    const projects = cases
      .filter((entry) => modes.includes(entry.mode))
      .map((entry) => `  <Project Path="${path.relative(workspace, entry.project)}" />`);
    await writeFile(file, `<Solution>\n${projects.join("\n")}\n</Solution>\n`);
    return file;
  };
  const [developerSolution, checkedSolution] = await Promise.all([
    solution("developer", ["developer"]),
    solution("checked", ["default", "secure"]),
  ]);
  const restoreStarted = Date.now();
  // No MSBuild or build-server processes outlive the restores (they would keep running from the deleted overlay).
  const oneShot = { MSBUILDDISABLENODEREUSE: "1", DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER: "1" };
  const [developerRun, checkedRun] = await Promise.all([
    runDotnet(consumer, ["restore", developerSolution], {
      timeoutMs: 800_000,
      environment: { ...oneShot, DOTNET_NUGET_SIGNATURE_VERIFICATION: "false" },
    }),
    runDotnet(consumer, ["restore", checkedSolution], {
      timeoutMs: 800_000,
      environment: { ...oneShot, DOTNET_NUGET_SIGNATURE_VERIFICATION: "true" },
    }),
  ]);
  const restoreSeconds = (Date.now() - restoreStarted) / 1000;

  const table: string[] = [];
  const mismatches: string[] = [];
  for (const entry of cases) {
    const codes = await restoreErrors(
      entry.project,
      entry.mode === "developer" ? developerRun.output : checkedRun.output,
    );
    const actual = { passes: codes.length === 0, codes };
    const kinds = [...new Set(entry.graph.nodes.map((node) => node.kind))].join("+");
    table.push(
      `${entry.graph.name.padEnd(4)} ${String(entry.graph.levels).padEnd(2)} ${kinds.padEnd(36)} ${entry.mode.padEnd(9)} predicted ${entry.predicted.passes ? "pass" : `fail ${entry.predicted.codes.join(",")}`}; restore ${actual.passes ? "pass" : `fail ${codes.join(",")}`}`,
    );
    if (actual.passes !== entry.predicted.passes || codes.join(",") !== entry.predicted.codes.join(","))
      mismatches.push(`${entry.graph.name} ${entry.mode}`);
  }
  console.log(
    [
      `consumer trust differential: ${cases.length} restores (${GRAPHS} graphs x ${MODES.length} policies), ${allNodes.length} packages`,
      `  set-up and publishing ${((publishedAt - started) / 1000).toFixed(1)} s, restores ${restoreSeconds.toFixed(1)} s (two dotnet restore runs side by side), total ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ...table.map((line) => `  ${line}`),
    ].join("\n"),
  );
  // Each policy must have been exercised both ways across the graphs.
  expect(new Set(cases.filter((entry) => entry.mode === "secure").map((entry) => entry.predicted.passes))).toEqual(
    new Set([true, false]),
  );
  expect(
    mismatches,
    `${mismatches.length} verdicts differ from restore:\n${table.join("\n")}\n--- restore output (checked) ---\n${checkedRun.output.slice(-6000)}`,
  ).toEqual([]);
});

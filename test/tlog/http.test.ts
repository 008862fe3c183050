// The publication log over HTTP, checked from outside the way clients check it: the checkpoint,
// tiles and entry bundles (C2SP), the JSON proofs, `npm run verify -- --log` and the monitor;
// and what they catch when a stored package file or a log entry in the database is tampered with.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DatabaseDialect } from "@/lib/config";
import type { Db } from "@/lib/db";
import { openCheckpoint } from "@/lib/tlog/checkpoint";
import { checkPackageFile, fetchCheckpoint, type LogEndpoint } from "@/lib/tlog/client";
import { encodeEntry, parseEntry, type PublishEntry } from "@/lib/tlog/entry";
import {
  appendLeaf,
  EMPTY_TREE_ROOT,
  leafHash,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from "@/lib/tlog/merkle";
import { followLog, type MonitorState } from "@/lib/tlog/monitor";
import { generateSignerKey, parseSignerKey, parseVerifierKey, verifierKeyString } from "@/lib/tlog/note";
import { decodeEntryBundle } from "@/lib/tlog/tiles";
import { testDialects } from "@/test/db/scratch";
import type { RunningGallery } from "@/test/interop/push-gallery";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createAccounts, createKeySecret } from "@/test/api/push-support";
import { runScript, useLogGallery } from "./log-gallery";

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

/** What an attacker with the database does to hide a swapped file: rewrite the entry to claim the new hash. */
async function rewriteEntry(
  db: Db,
  dialect: DatabaseDialect,
  index: number,
  change: (entry: PublishEntry) => PublishEntry,
): Promise<void> {
  const stored = await db.logEntry.findUniqueOrThrow({ where: { index } });
  const rewritten = encodeEntry(change(parseEntry(stored.data) as PublishEntry));
  await db.$executeRawUnsafe(
    dialect === "sqlite" ? `DROP TRIGGER "LogEntry_no_update"` : `DROP TRIGGER "LogEntry_append_only" ON "LogEntry"`,
  );
  await db.$executeRaw`UPDATE "LogEntry" SET "data" = ${rewritten} WHERE "index" = ${index}`;
}

/** And then rebuild every tree hash from the rewritten entries, so the log is self-consistent again (a fork). */
async function rebuildTree(db: Db, dialect: DatabaseDialect): Promise<void> {
  await db.$executeRawUnsafe(
    dialect === "sqlite" ? `DROP TRIGGER "LogNode_no_delete"` : `DROP TRIGGER "LogNode_append_only" ON "LogNode"`,
  );
  await db.logNode.deleteMany({});
  const entries = await db.logEntry.findMany({ orderBy: { index: "asc" } });
  let range: Hash[] = [];
  let root = EMPTY_TREE_ROOT;
  for (const entry of entries) {
    const appended = appendLeaf(entry.index, range, leafHash(entry.data));
    range = appended.compactRange;
    root = appended.root;
    await db.logNode.createMany({ data: appended.nodes });
  }
  await db.logHead.update({ where: { id: 1 }, data: { root } });
}

describe.each(testDialects())("the publication log over HTTP on %s", (dialect) => {
  const { database, verifierKey, work, storedFile, ...log } = useLogGallery(dialect);
  let db: Db;
  let gallery: RunningGallery;
  let secret: string;
  let endpoint: LogEndpoint;

  async function push(id: string, version: string): Promise<Uint8Array> {
    const bytes = new Uint8Array(buildUnsignedPackage({ id, version }));
    const form = new FormData();
    form.append("package", new Blob([bytes]), "package.nupkg");
    const response = await fetch(`${gallery.origin}/api/v2/package`, {
      method: "PUT",
      headers: { "X-NuGet-ApiKey": secret },
      body: form,
    });
    expect(response.status).toBe(201);
    return bytes;
  }

  async function download(id: string, version: string): Promise<string> {
    const response = await fetch(
      `${gallery.origin}/v3-flatcontainer/${id.toLowerCase()}/${version}/${id.toLowerCase()}.${version}.nupkg`,
    );
    const file = path.join(work, `${id}.${version}.${Math.random().toString(36).slice(2)}.nupkg`);
    writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
    return file;
  }

  beforeAll(async () => {
    db = database();
    const { alice } = await createAccounts(db, ["alice"]);
    secret = await createKeySecret(db, alice, ["push", "unlist"]);
    gallery = log.gallery();
    endpoint = log.endpoint();
  });

  it("serves the verifier key, a signed checkpoint, tiles and entry bundles that agree with each other", async () => {
    await push("Contoso.Alpha", "1.0.0");
    await push("Fabrikam.Beta", "1.0.0");
    await push("Contoso.Gamma", "2.0.0");
    expect((await (await fetch(`${gallery.origin}/.well-known/signet-log-key`)).text()).trim()).toBe(verifierKey);

    const checkpointResponse = await fetch(`${gallery.origin}/log/checkpoint`);
    expect(checkpointResponse.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const checkpoint = openCheckpoint(await checkpointResponse.text(), endpoint.verifier);
    expect(checkpoint).toMatchObject({ origin: "gallery.test/log", size: 3 });

    const tile = new Uint8Array(await (await fetch(`${gallery.origin}/log/tile/0/000.p/3`)).arrayBuffer());
    const bundle = decodeEntryBundle(
      new Uint8Array(await (await fetch(`${gallery.origin}/log/tile/entries/000.p/3`)).arrayBuffer()),
    );
    expect(bundle.map((entry) => parseEntry(entry).kind)).toEqual(["publish", "publish", "publish"]);
    expect(Buffer.from(tile).toString("hex")).toBe(
      bundle.map((entry) => Buffer.from(leafHash(entry)).toString("hex")).join(""),
    );
    let range: Hash[] = [];
    let root = EMPTY_TREE_ROOT;
    bundle.forEach((entry, index) => ({ compactRange: range, root } = appendLeaf(index, range, leafHash(entry))));
    expect(Buffer.from(root).toString("hex")).toBe(Buffer.from(checkpoint.root).toString("hex"));

    for (const missing of [
      "tile/0/000",
      "tile/0/000.p/4",
      "tile/1/000.p/1",
      "tile/entries/001.p/1",
      "tile/0/00",
      "tile/0/000.p/256",
    ]) {
      const response = await fetch(`${gallery.origin}/log/${missing}`);
      expect(response.status, missing).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("LOG_TILE_NOT_FOUND");
    }
  });

  it("answers inclusion and consistency proofs that verify under the checkpoint sent with them, and refuses bad requests with a code", async () => {
    const entry = (await (await fetch(`${gallery.origin}/api/log/entries/1`)).json()) as {
      checkpoint: string;
      entry: { index: number; data: string; inclusionProof: string[] };
    };
    const checkpoint = openCheckpoint(entry.checkpoint, endpoint.verifier);
    expect(
      verifyInclusion(
        1,
        checkpoint.size,
        leafHash(fromBase64(entry.entry.data)),
        entry.entry.inclusionProof.map(fromBase64),
        checkpoint.root,
      ),
    ).toBe(true);

    const versionEntries = (await (await fetch(`${gallery.origin}/api/log/packages/CONTOSO.GAMMA/2.0`)).json()) as {
      entries: { index: number }[];
    };
    expect(versionEntries.entries.map((logged) => logged.index)).toEqual([2]);

    const bundle = decodeEntryBundle(
      new Uint8Array(await (await fetch(`${gallery.origin}/log/tile/entries/000.p/3`)).arrayBuffer()),
    );
    const rootOfFirst = leafHash(bundle[0] as Uint8Array);
    const consistency = (await (await fetch(`${gallery.origin}/api/log/consistency?from=1`)).json()) as {
      checkpoint: string;
      from: number;
      to: number;
      proof: string[];
    };
    expect(consistency).toMatchObject({ from: 1, to: 3 });
    expect(
      verifyConsistency(
        1,
        3,
        consistency.proof.map(fromBase64),
        rootOfFirst,
        openCheckpoint(consistency.checkpoint, endpoint.verifier).root,
      ),
    ).toBe(true);

    const refusals: [string, number, string][] = [
      ["/api/log/entries/99", 404, "LOG_ENTRY_NOT_FOUND"],
      ["/api/log/entries/-1", 400, "INVALID_REQUEST"],
      ["/api/log/entries/01", 400, "INVALID_REQUEST"],
      ["/api/log/packages/Contoso.Alpha/9.9.9", 404, "LOG_ENTRY_NOT_FOUND"],
      ["/api/log/consistency?from=4", 404, "LOG_SIZE_NOT_FOUND"],
      ["/api/log/consistency?from=2&to=1", 400, "LOG_SIZES_INVALID"],
      ["/api/log/consistency", 400, "INVALID_REQUEST"],
    ];
    for (const [url, status, code] of refusals) {
      const response = await fetch(`${gallery.origin}${url}`);
      expect(response.status, url).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code, url).toBe(code);
    }
  });

  it("npm run verify -- --log accepts the published file, naming its entry, and refuses a changed one", async () => {
    const good = await runScript("scripts/verify.ts", [
      "--log",
      gallery.origin,
      "--log-key",
      verifierKey,
      await download("Contoso.Alpha", "1.0.0"),
    ]);
    // The served file carries the gallery's development repository signature, whose root this
    // verify run does not trust; the log check stands on its own.
    expect(good.stdout).toContain(
      "log: logged as entry 0 of gallery.test/log (tree size 3, checkpoint signature and inclusion proof verified)",
    );
    expect(good.stdout).toContain("the file's SHA-512 matches");
    const other = path.join(work, "other.nupkg");
    writeFileSync(
      other,
      buildUnsignedPackage({ id: "Contoso.Alpha", version: "1.0.0", description: "Not what was published" }),
    );
    const changed = await runScript("scripts/verify.ts", [
      "--json",
      "--log",
      gallery.origin,
      "--log-key",
      verifierKey,
      other,
    ]);
    expect(changed.exitCode).toBe(1);
    expect((JSON.parse(changed.stdout) as { log: { ok: boolean; code: string } }).log).toMatchObject({
      ok: false,
      code: "LOG_FILE_MISMATCH",
    });
    const wrongKey = verifierKeyString(parseSignerKey(generateSignerKey("gallery.test/log")));
    expect(
      await checkPackageFile(
        { ...endpoint, verifier: parseVerifierKey(wrongKey) },
        { packageId: "Contoso.Alpha", version: "1.0.0", sha512: "x" },
      ).catch((failure: { code: string }) => failure.code),
    ).toBe("LOG_CHECKPOINT_INVALID");
  });

  it("the monitor reports the entries of a watched certificate, whatever the package ID, and none for a certificate the log never saw", async () => {
    // Every version here carries the gallery's repository signature, so its certificate matches them all.
    const repositoryCertificate = (await db.repositorySigningCertificate.findFirstOrThrow()).sha256Fingerprint;
    const bySigner = await followLog(
      endpoint,
      null,
      { idPrefixes: [], signers: [repositoryCertificate] },
      { checkFiles: false },
    );
    expect(bySigner.problems).toEqual([]);
    expect(bySigner.matches.map((line) => line.split(" at ")[0])).toEqual([
      "entry 0: publish Contoso.Alpha 1.0.0",
      "entry 1: publish Fabrikam.Beta 1.0.0",
      "entry 2: publish Contoso.Gamma 2.0.0",
    ]);
    expect(
      (await followLog(endpoint, null, { idPrefixes: [], signers: ["0".repeat(64)] }, { checkFiles: false })).matches,
    ).toEqual([]);
  });

  it("the monitor reports new entries for a watched prefix, follows on from its saved checkpoint, and catches a changed stored file", async () => {
    const rules = { idPrefixes: ["contoso."], signers: [] };
    const first = await followLog(endpoint, null, rules, { checkFiles: true });
    expect(first.problems).toEqual([]);
    expect(first.matches.map((line) => line.split(" at ")[0])).toEqual([
      "entry 0: publish Contoso.Alpha 1.0.0",
      "entry 2: publish Contoso.Gamma 2.0.0",
    ]);
    await push("Contoso.Delta", "1.0.0");
    const unlisted = await fetch(`${gallery.origin}/api/v2/package/Contoso.Alpha/1.0.0`, {
      method: "DELETE",
      headers: { "X-NuGet-ApiKey": secret },
    });
    expect(unlisted.status).toBe(200);
    const second = await followLog(endpoint, first.state, rules, { checkFiles: true });
    expect(second).toMatchObject({ previousSize: 3, size: 5, problems: [] });
    expect(second.matches.map((line) => line.split(" at ")[0])).toEqual([
      "entry 3: publish Contoso.Delta 1.0.0",
      "entry 4: unlist Contoso.Alpha 1.0.0",
    ]);

    const stateFile = path.join(work, "monitor.json");
    const cli = await runScript("scripts/tlog-monitor.ts", [
      "--log",
      gallery.origin,
      "--log-key",
      verifierKey,
      "--state",
      stateFile,
      "--prefix",
      "Contoso.",
      "--check-files",
    ]);
    expect(cli.exitCode).toBe(0);
    expect(cli.stdout).toContain("log gallery.test/log: tree size 0 -> 5");
    expect((JSON.parse(readFileSync(stateFile, "utf8")) as MonitorState).checkpoint).toContain("gallery.test/log\n5\n");

    // Someone with the storage swaps the published file.
    writeFileSync(
      storedFile("Contoso.Gamma", "2.0.0"),
      buildUnsignedPackage({ id: "Contoso.Gamma", version: "2.0.0", description: "Swapped" }),
    );
    const tampered = await runScript("scripts/tlog-monitor.ts", [
      "--log",
      gallery.origin,
      "--log-key",
      verifierKey,
      "--state",
      path.join(work, "fresh.json"),
      "--prefix",
      "Contoso.",
      "--check-files",
    ]);
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stdout).toContain("PROBLEM: The gallery serves Contoso.Gamma 2.0.0 with SHA-512");
    const verified = await runScript("scripts/verify.ts", [
      "--log",
      gallery.origin,
      "--log-key",
      verifierKey,
      await download("Contoso.Gamma", "2.0.0"),
    ]);
    expect(verified.exitCode).toBe(1);
    expect(verified.stdout).toContain("LOG_FILE_MISMATCH");
  });

  it("catches a log entry rewritten in the database to match the swapped file, and a rebuilt tree (a fork) against a saved checkpoint", async () => {
    const rules = { idPrefixes: ["contoso."], signers: [] };
    const saved = await followLog(endpoint, null, { idPrefixes: [], signers: [] }, { checkFiles: false });
    expect(saved.problems).toEqual([]);
    const swapped = await download("Contoso.Gamma", "2.0.0");
    const swappedSha512 = (await import("node:crypto"))
      .createHash("sha512")
      .update(readFileSync(swapped))
      .digest("base64");
    await rewriteEntry(db, dialect, 2, (entry) => ({
      ...entry,
      publishedSha512: swappedSha512,
      uploadedSha512: swappedSha512,
    }));

    const verified = await runScript("scripts/verify.ts", ["--log", gallery.origin, "--log-key", verifierKey, swapped]);
    expect(verified.exitCode).toBe(1);
    expect(verified.stdout).toContain("LOG_PROOF_INVALID");
    expect((await followLog(endpoint, null, rules, { checkFiles: false })).problems).toEqual([
      "The log's entries do not hash to the root its checkpoint (size 5) signs: an entry was changed, removed or inserted after it was logged.",
    ]);

    // The attacker recomputes every tree hash: fresh clients see a consistent (forged) log, but a
    // monitor holding the earlier checkpoint sees the history changed under it.
    await rebuildTree(db, dialect);
    await push("Contoso.Epsilon", "1.0.0");
    expect(
      (await checkPackageFile(endpoint, { packageId: "Contoso.Gamma", version: "2.0.0", sha512: swappedSha512 }))
        .publication.index,
    ).toBe(2);
    const followed = await followLog(endpoint, saved.state, rules, { checkFiles: false });
    expect(followed.problems).toEqual([
      "The log's checkpoint (size 6) is not consistent with the saved one (size 5) extended by the new entries: the log's history was rewritten, or it forked.",
    ]);
    expect(followed.state).toBe(saved.state);
    expect((await fetchCheckpoint(endpoint)).checkpoint.size).toBe(6);
  });
});

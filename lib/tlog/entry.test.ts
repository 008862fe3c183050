import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeEntry, parseEntry, type LogEntry } from "./entry";
import {
  decodeEntryBundle,
  encodeEntryBundle,
  formatTileIndex,
  formatTilePath,
  parseTilePath,
  tileCoverage,
} from "./tiles";

const sha512 = (text: string) => createHash("sha512").update(text).digest("base64");
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const publication: LogEntry = {
  kind: "publish",
  packageId: "Contoso.Utilities",
  version: "1.2.0",
  publishedSha512: sha512("published"),
  uploadedSha512: sha512("uploaded"),
  authorSigner: "ab".repeat(32),
  repositoryCertificate: null,
  owners: ["bob", "alice"],
  time: new Date("2026-11-23T10:00:00Z"),
};

describe("log entry encoding", () => {
  it("writes a publication as the documented lines, owners sorted", () => {
    expect(text(encodeEntry(publication))).toBe(
      [
        "signet-log-entry v1",
        "kind publish",
        "package-id Contoso.Utilities",
        "version 1.2.0",
        `published-sha512 ${sha512("published")}`,
        `uploaded-sha512 ${sha512("uploaded")}`,
        `author-signer ${"ab".repeat(32)}`,
        "repository-certificate none",
        "owner alice",
        "owner bob",
        "time 2026-11-23T10:00:00.000Z",
        "",
      ].join("\n"),
    );
  });

  it("reads back every kind it writes", () => {
    const entries: LogEntry[] = [
      { ...publication, owners: ["alice", "bob"] },
      {
        kind: "unlist",
        packageId: "Contoso.Utilities",
        version: "1.2.0",
        by: "alice",
        time: new Date("2026-11-24T00:00:00Z"),
      },
      {
        kind: "relist",
        packageId: "Contoso.Utilities",
        version: "1.2.0",
        by: "bob",
        time: new Date("2026-11-25T00:00:00Z"),
      },
      {
        kind: "certificate-compromised",
        certificate: "cd".repeat(32),
        compromisedFrom: new Date("2026-11-01T00:00:00Z"),
        time: new Date("2026-11-26T00:00:00Z"),
      },
      { kind: "certificate-compromise-cleared", certificate: "cd".repeat(32), time: new Date("2026-11-27T00:00:00Z") },
      {
        kind: "repository-signed",
        packageId: "Contoso.Utilities",
        version: "1.2.0",
        publishedSha512: sha512("signed"),
        repositoryCertificate: "ef".repeat(32),
        time: new Date("2026-12-01T08:00:00Z"),
      },
    ];
    for (const entry of entries) expect(parseEntry(encodeEntry(entry))).toEqual(entry);
  });

  it("writes a repository signing as the documented lines; its certificate is never none", () => {
    const signing: LogEntry = {
      kind: "repository-signed",
      packageId: "Contoso.Utilities",
      version: "1.2.0",
      publishedSha512: sha512("signed"),
      repositoryCertificate: "ef".repeat(32),
      time: new Date("2026-12-01T08:00:00Z"),
    };
    expect(text(encodeEntry(signing))).toBe(
      [
        "signet-log-entry v1",
        "kind repository-signed",
        "package-id Contoso.Utilities",
        "version 1.2.0",
        `published-sha512 ${sha512("signed")}`,
        `repository-certificate ${"ef".repeat(32)}`,
        "time 2026-12-01T08:00:00.000Z",
        "",
      ].join("\n"),
    );
    expect(() =>
      parseEntry(new TextEncoder().encode(text(encodeEntry(signing)).replace("ef".repeat(32), "none"))),
    ).toThrow(/fingerprint/);
  });

  it("accepts one spelling only: reordered, unsorted, padded or re-cased entries are refused", () => {
    const canonical = text(encodeEntry(publication));
    const variants = [
      canonical.replace("owner alice\nowner bob", "owner bob\nowner alice"),
      canonical
        .replace("version 1.2.0\n", "")
        .replace("package-id Contoso.Utilities\n", "package-id Contoso.Utilities\nversion 1.2.0\n")
        .replace("kind publish\n", "kind publish\nextra x\n"),
      canonical.replace("time 2026-11-23T10:00:00.000Z", "time 2026-11-23T10:00:00Z"),
      canonical.replace("repository-certificate none", "repository-certificate NONE"),
      canonical.replace(`author-signer ${"ab".repeat(32)}`, `author-signer ${"AB".repeat(32)}`),
      canonical.replace("kind publish", "kind  publish"),
      `${canonical}\n`,
      canonical.slice(0, -1),
      canonical.replace("signet-log-entry v1", "signet-log-entry v2"),
    ];
    for (const variant of variants) expect(() => parseEntry(new TextEncoder().encode(variant)), variant).toThrow();
  });

  it("refuses values that would break the line format, and malformed hashes", () => {
    expect(() => encodeEntry({ ...publication, packageId: "Contoso\nversion 9.9.9" })).toThrow(/one line/);
    expect(() => encodeEntry({ ...publication, owners: [""] })).toThrow(/non-empty/);
    expect(() => encodeEntry({ ...publication, publishedSha512: "c2hh" })).toThrow(/SHA-512/);
    expect(() => encodeEntry({ ...publication, authorSigner: "ab" })).toThrow(/fingerprint/);
    expect(() => encodeEntry({ ...publication, time: new Date("nonsense") })).toThrow(/time/);
  });
});

describe("tiles", () => {
  it("reads and writes tile paths as C2SP tlog-tiles spells them", () => {
    expect(formatTileIndex(1234067)).toBe("x001/x234/067");
    expect(formatTileIndex(5)).toBe("005");
    expect(parseTilePath(["0", "x001", "x234", "067"])).toEqual({
      kind: "hashes",
      level: 0,
      index: 1234067,
      width: 256,
    });
    expect(parseTilePath(["2", "005.p", "17"])).toEqual({ kind: "hashes", level: 2, index: 5, width: 17 });
    expect(parseTilePath(["entries", "000.p", "1"])).toEqual({ kind: "entries", index: 0, width: 1 });
    expect(formatTilePath({ kind: "entries", index: 1000, width: 3 })).toBe("tile/entries/x001/000.p/3");
    for (const bad of [
      ["00", "000"],
      ["64", "000"],
      ["0", "1"],
      ["0", "001", "002"],
      ["0", "000.p", "256"],
      ["0", "000.p", "0"],
      ["0", "000.p", "07"],
      ["0", "x000"],
      ["entries"],
      ["0", "000.p"],
    ]) {
      expect(parseTilePath(bad), bad.join("/")).toBeNull();
    }
  });

  it("serves only tiles the tree has: a tree of 70,000 has 273 full level-0 tiles, a partial one of 112, and so on", () => {
    const size = 70_000;
    expect(tileCoverage({ kind: "hashes", level: 0, index: 272, width: 256 }, size)).not.toBeNull();
    expect(tileCoverage({ kind: "hashes", level: 0, index: 273, width: 256 }, size)).toBeNull();
    expect(tileCoverage({ kind: "hashes", level: 0, index: 273, width: 112 }, size)).toEqual({
      treeLevel: 0,
      start: 273 * 256,
      width: 112,
    });
    expect(tileCoverage({ kind: "hashes", level: 0, index: 273, width: 113 }, size)).toBeNull();
    expect(tileCoverage({ kind: "hashes", level: 1, index: 0, width: 256 }, size)).toEqual({
      treeLevel: 8,
      start: 0,
      width: 256,
    });
    expect(tileCoverage({ kind: "hashes", level: 1, index: 1, width: 17 }, size)).toEqual({
      treeLevel: 8,
      start: 256,
      width: 17,
    });
    expect(tileCoverage({ kind: "hashes", level: 2, index: 0, width: 1 }, size)).toEqual({
      treeLevel: 16,
      start: 0,
      width: 1,
    });
    expect(tileCoverage({ kind: "hashes", level: 2, index: 0, width: 2 }, size)).toBeNull();
    expect(tileCoverage({ kind: "entries", index: 273, width: 112 }, size)).toEqual({
      treeLevel: 0,
      start: 273 * 256,
      width: 112,
    });
  });

  it("bundles entries with a 16-bit length before each", () => {
    const entries = [new Uint8Array(0), new TextEncoder().encode("a"), new Uint8Array(300).fill(7)];
    const bundle = encodeEntryBundle(entries);
    expect(Buffer.from(bundle.subarray(0, 5)).toString("hex")).toBe("0000000161");
    expect(decodeEntryBundle(bundle).map((entry) => Buffer.from(entry).toString("hex"))).toEqual(
      entries.map((entry) => Buffer.from(entry).toString("hex")),
    );
    expect(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1))).toThrow();
  });
});

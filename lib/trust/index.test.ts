import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { certificatePem, createRootAuthority, generateRsaKey } from "@/test/support/pki";
import { existsSync, readFileSync } from "node:fs";
import { pemBody, pemCertificateBlocks } from "@/lib/signing/certificates";
import {
  dotnetSdkBundle,
  loadTrustStore,
  newestVersionFirst,
  readPemBundle,
  SYSTEM_CODE_SIGNING_BUNDLE,
} from "./index";
import { requireInput } from "@/test/support/shared-data";

describe("loadTrustStore", () => {
  it("reads the PEM bundles named by the environment", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "signet-trust-"));
    const roots = await Promise.all(
      ["A", "B"].map(async (name) => createRootAuthority(`Signet Trust ${name}`, await generateRsaKey())),
    );
    const bundle = path.join(directory, "roots.pem");
    await writeFile(bundle, `junk before\n${roots.map(certificatePem).join("")}`);
    const loaded = loadTrustStore({ SIGNET_CODE_SIGNING_ROOTS: bundle, SIGNET_TIMESTAMPING_ROOTS: bundle });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.store.codeSigningRoots.map((der) => Buffer.from(der).toString("hex"))).toEqual(
      roots.map((root) => Buffer.from(root.der).toString("hex")),
    );
    expect(loaded.sources).toEqual({ codeSigning: [bundle], timestamping: [bundle] });
  });

  it("warns clearly when a configured bundle is missing", () => {
    const loaded = loadTrustStore({
      SIGNET_CODE_SIGNING_ROOTS: "/nonexistent/roots.pem",
      SIGNET_TIMESTAMPING_ROOTS: "/nonexistent/ts.pem",
    });
    expect(loaded.store).toEqual({ codeSigningRoots: [], timestampingRoots: [] });
    expect(loaded.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining("/nonexistent/roots.pem"), expect.stringContaining("untrusted")]),
    );
  });

  const sdkBundle = dotnetSdkBundle("codesignctl.pem");
  requireInput(
    sdkBundle !== null,
    "lib/trust/index.test.ts",
    "no .NET SDK trustedroots bundle is on this machine",
    "the .NET SDK fallback tests",
  );

  it.skipIf(!sdkBundle)(
    "falls back to the .NET SDK bundles when there is no system objsign bundle, as NuGet does on Linux",
    () => {
      const loaded = loadTrustStore({});
      expect(loaded.sources.codeSigning).toEqual([
        existsSync(SYSTEM_CODE_SIGNING_BUNDLE) ? SYSTEM_CODE_SIGNING_BUNDLE : sdkBundle,
      ]);
      expect(loaded.sources.timestamping).toEqual([dotnetSdkBundle("timestampctl.pem")]);
      expect(loaded.store.codeSigningRoots.length).toBeGreaterThan(10);
    },
  );

  it.skipIf(!sdkBundle)(
    "reads every root of the SDK's bundles to the same bytes as the engine's own PEM decoder",
    () => {
      for (const name of ["codesignctl.pem", "timestampctl.pem"] as const) {
        const file = dotnetSdkBundle(name) ?? "";
        const expected = pemCertificateBlocks(readFileSync(file, "utf8")).map((block) =>
          Buffer.from(pemBody(block)).toString("hex"),
        );
        expect(readPemBundle(file).map((der) => Buffer.from(der).toString("hex"))).toEqual(expected);
        expect(expected.length).toBeGreaterThan(100);
      }
    },
  );
});

describe("newestVersionFirst", () => {
  it("orders SDK folders newest first, comparing numbers as numbers, as localeCompare's numeric collation does", () => {
    const folders = ["8.0.404", "10.0.99", "9.0.300", "10.0.401", "10.0.100-preview.7", "10.0.100", "10.0.100-rc.1"];
    const collated = [...folders].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
    expect([...folders].sort(newestVersionFirst)).toEqual(collated);
    expect(collated[0]).toBe("10.0.401");
  });
});

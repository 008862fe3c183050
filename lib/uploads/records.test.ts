import { describe, expect, it } from "vitest";
import { assertValidStorageKey } from "@/lib/storage/keys";
import type { SignatureDetails, SignatureReport } from "@/lib/signing";
import { previewKey, publishedPackageKey, quarantineKey, signedAtOf } from "./records";

describe("storage keys", () => {
  it("files a published package under its lower-cased ID and version, as the flat container names it", () => {
    expect(publishedPackageKey("Contoso.Utils", "1.0.0-Beta.1")).toBe("packages/contoso.utils/1.0.0-beta.1/contoso.utils.1.0.0-beta.1.nupkg");
  });

  it("spells IDs with letters outside ASCII as valid, distinct keys", () => {
    const greek = publishedPackageKey("Πακέτο.Ένα", "1.0.0");
    const other = publishedPackageKey("Πακέτο.Δύο", "1.0.0");
    expect(() => assertValidStorageKey(greek)).not.toThrow();
    expect(greek).not.toBe(other);
    expect(greek).toMatch(/^packages\/\+3c0\+3b1/);
  });

  it("keeps refused and previewed files apart, named by their attempt", () => {
    expect(quarantineKey("a1")).toBe("quarantine/a1.nupkg");
    expect(previewKey("a1")).toBe("pending/a1.nupkg");
  });
});

describe("signedAtOf", () => {
  const timestamp = (time: string, valid: boolean) => ({ time, valid, hashAlgorithm: "SHA-256", tsa: null, chain: null });
  const signedBy = (author: Partial<SignatureDetails> | null): SignatureReport => ({
    status: "valid",
    packageHashAlgorithm: null,
    integrity: null,
    author: author as SignatureDetails | null,
    repository: null,
    issues: [],
  });

  it("is the valid timestamp's time, else the signer's claimed signing time, else unknown", () => {
    const timestamps = [timestamp("2021-01-01T00:00:00Z", false), timestamp("2022-01-01T00:00:00Z", true)];
    expect(signedAtOf(signedBy({ signingTime: "2020-01-01T00:00:00Z", timestamps }))).toEqual(new Date("2022-01-01T00:00:00Z"));
    expect(signedAtOf(signedBy({ signingTime: "2020-01-01T00:00:00Z", timestamps: timestamps.slice(0, 1) }))).toEqual(new Date("2020-01-01T00:00:00Z"));
    expect(signedAtOf(signedBy({ signingTime: null, timestamps: [] }))).toBeNull();
    expect(signedAtOf(signedBy(null))).toBeNull();
  });
});

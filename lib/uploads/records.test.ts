import { describe, expect, it } from "vitest";
import { assertValidStorageKey } from "@/lib/storage/keys";
import { previewKey, publishedPackageKey, quarantineKey } from "./records";

describe("storage keys", () => {
  it("files a published package under its lower-cased ID and version, as the flat container names it", () => {
    expect(publishedPackageKey("Contoso.Utils", "1.0.0-Beta.1")).toBe(
      "packages/contoso.utils/1.0.0-beta.1/contoso.utils.1.0.0-beta.1.nupkg",
    );
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

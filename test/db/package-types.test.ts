import { describe, expect, it } from "vitest";
import { seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { fillMissingPackageTypes } from "@/lib/packages/package-types";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";

const TOOL_NUSPEC = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Contoso.Tool</id><version>1.0.0</version><authors>Contoso</authors><description>A tool.</description>
    <packageTypes><packageType name="DotnetTool" /><packageType name="DotnetTool" version="2.0" /></packageTypes>
  </metadata>
</package>`;

describe.each(testDialects())("fillMissingPackageTypes on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  it("records the types of versions published before the column, from their manifests, and only those", async () => {
    const db = database();
    const tool = await seedVersion(db, { packageId: "Contoso.Tool", version: "1.0.0", owners: ["alice"] });
    const plain = await seedVersion(db, { packageId: "Contoso.Plain", version: "1.0.0", owners: ["alice"] });
    const recorded = await seedVersion(db, {
      packageId: "Contoso.Template",
      version: "1.0.0",
      owners: ["alice"],
      packageTypes: ["Template"],
    });
    await db.packageVersion.update({ where: { id: tool }, data: { packageTypes: null, nuspecXml: TOOL_NUSPEC } });
    await db.packageVersion.update({
      where: { id: plain },
      data: { packageTypes: null, nuspecXml: "<not a manifest" },
    });

    expect(await fillMissingPackageTypes(db)).toBe(2);
    const types = async (id: string) => (await db.packageVersion.findUniqueOrThrow({ where: { id } })).packageTypes;
    expect(await types(tool)).toBe('["DotnetTool"]');
    expect(await types(plain)).toBe("[]");
    expect(await types(recorded)).toBe('["Template"]');
    // A second run finds nothing left to do.
    expect(await fillMissingPackageTypes(db)).toBe(0);
  });
});

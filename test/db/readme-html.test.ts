import { describe, expect, it } from "vitest";
import { seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { renderUnrenderedReadmes } from "@/lib/packages/readme-backfill";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";

describe.each(testDialects())("renderUnrenderedReadmes on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  it("renders and stores the readmes of versions published before readmes were rendered at publish, and only those", async () => {
    const db = database();
    const earlier = await seedVersion(db, {
      packageId: "Contoso.Early",
      version: "1.0.0",
      owners: ["alice"],
      readme: "# Early\n\n<img src=x onerror=alert(1)>",
    });
    const rendered = await seedVersion(db, {
      packageId: "Contoso.Rendered",
      version: "1.0.0",
      owners: ["alice"],
      readme: "# Rendered",
    });
    const none = await seedVersion(db, { packageId: "Contoso.Plain", version: "1.0.0", owners: ["alice"] });
    await db.packageVersion.update({ where: { id: earlier }, data: { readmeHtml: null } });
    await db.packageVersion.update({ where: { id: rendered }, data: { readmeHtml: "<p>kept as published</p>" } });

    expect(await renderUnrenderedReadmes(db)).toBe(1);
    const html = async (id: string) => (await db.packageVersion.findUniqueOrThrow({ where: { id } })).readmeHtml;
    expect(await html(earlier)).toBe("<h3>Early</h3>\n<img>");
    expect(await html(rendered)).toBe("<p>kept as published</p>");
    expect(await html(none)).toBeNull();
    // A second run finds nothing left to do.
    expect(await renderUnrenderedReadmes(db)).toBe(0);
  });
});

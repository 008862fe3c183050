// Readmes are rendered once, when a version is published (lib/uploads/publish.ts), and stored as
// PackageVersion.readmeHtml, so no page request pays for Markdown. Versions published before that
// column existed have their readme text but no HTML; `npm run db:migrate` renders them here.

import type { Db } from "@/lib/db";
import { renderReadme } from "./readme";

// A 1 MiB readme may render to several MiB of HTML: few rows per batch keep memory small.
const BACKFILL_BATCH = 20;

/**
 * Renders and stores the readme of every version that has readme text but no stored HTML. Safe
 * to stop and run again: it only touches rows still missing their HTML. Returns how many it rendered.
 */
export async function renderUnrenderedReadmes(db: Db): Promise<number> {
  let rendered = 0;
  for (;;) {
    const rows = await db.packageVersion.findMany({
      where: { readme: { not: null }, readmeHtml: null },
      select: { id: true, readme: true },
      take: BACKFILL_BATCH,
    });
    if (rows.length === 0) return rendered;
    for (const row of rows) {
      await db.packageVersion.update({ where: { id: row.id }, data: { readmeHtml: renderReadme(row.readme!) } });
    }
    rendered += rows.length;
  }
}

// The gallery revision: raised by database triggers (migration 0003) whenever anything a
// package page shows changes. Reading it is one primary-key lookup.
import type { Db } from "@/lib/db";

export async function readGalleryRevision(db: Db): Promise<number> {
  const row = await db.galleryRevision.findUnique({ where: { id: 1 }, select: { value: true } });
  if (!row) throw new Error("The GalleryRevision row is missing: the database was not migrated with 0003_gallery_revision.");
  return row.value;
}

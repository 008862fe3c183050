// Shared by the package routes: one load per request (metadata and page share it), and a 404
// for anything that is not a package (or version) in the gallery.
import { notFound } from "next/navigation";
import { cache } from "react";
import { requestGalleryFeed } from "@/app/_components/feed-source";
import { getDb } from "@/lib/services";
import { loadPackagePage, type PackagePage } from "@/lib/packages/package-page";

export const loadPackageOr404 = cache(async (id: string, version?: string): Promise<PackagePage> => {
  const page = await loadPackagePage(getDb(), id, version, { feed: await requestGalleryFeed() });
  if (!page) notFound();
  return page;
});

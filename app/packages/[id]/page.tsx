import type { Metadata } from "next";
import { loadPackageOr404 } from "./load";
import { PackageRoute } from "./PackageRoute";

// Signing state and compromise flags change under a published version, so every view is read fresh.
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const page = await loadPackageOr404((await params).id);
  return { title: `${page.packageId} ${page.version}`, description: page.metadata.description.slice(0, 200) };
}

export default async function PackagePage({ params }: Params) {
  return <PackageRoute id={(await params).id} />;
}

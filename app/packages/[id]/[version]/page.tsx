import type { Metadata } from "next";
import { loadPackageOr404 } from "../load";
import { PackageRoute } from "../PackageRoute";

// Signing state and compromise flags change under a published version, so every view is read fresh.
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string; version: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id, version } = await params;
  const page = await loadPackageOr404(id, version);
  return { title: `${page.packageId} ${page.version}`, description: page.metadata.description.slice(0, 200) };
}

export default async function PackageVersionPage({ params }: Params) {
  const { id, version } = await params;
  return <PackageRoute id={id} version={version} />;
}

// A package's manage page, linked from the package page for its owners and admins: the signing setting.
import type { Metadata } from "next";
import Link from "next/link";
import { packageHref } from "@/app/_components/packages/links";
import { forbidden, notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { readRequiredSignerSetting, type RequiredSignerSetting } from "@/lib/certificates/required-signer";
import { getDb } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { RequiredSignerForm } from "./RequiredSignerForm";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Manage ${id}` };
}
export const dynamic = "force-dynamic";

async function settingFor(packageId: string, returnTo: string): Promise<RequiredSignerSetting> {
  const user = await requireUser(returnTo);
  try {
    return await readRequiredSignerSetting(getDb(), packageId, user);
  } catch (caught) {
    if (caught instanceof IssueError && caught.code === "PACKAGE_NOT_FOUND") notFound();
    if (caught instanceof IssueError && caught.code === "PACKAGE_FORBIDDEN") forbidden();
    throw caught;
  }
}

export default async function ManagePackagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const setting = await settingFor(id, `/packages/${encodeURIComponent(id)}/manage`);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p className="text-sm">
          <Link href={packageHref(setting.packageId)}>← {setting.packageId}</Link>
        </p>
        <h1 className="text-2xl font-semibold">Manage {setting.packageId}</h1>
      </div>
      <section aria-labelledby="signing-heading" className="space-y-3 rounded border border-slate-200 p-5">
        <h2 id="signing-heading" className="text-lg font-medium">
          Required signer
        </h2>
        {setting.owners.length > 1 ? (
          <RequiredSignerForm setting={setting} />
        ) : (
          <p className="text-sm text-slate-700">
            {setting.policySentence} Choosing a required signer becomes possible once the package has more than one owner.
          </p>
        )}
      </section>
    </div>
  );
}

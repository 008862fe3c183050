import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { requireUser, type CurrentUser } from "@/lib/web/session";
import { listRegisteredCertificates } from "@/lib/certificates/registry";
import { galleryTrustStore, getDb } from "@/lib/services";
import { trustedRootSubjects } from "@/lib/signing/chain-trust";
import { listSignerIdentities } from "@/lib/identity/identity-registry";
import { CertificateManager } from "./CertificateManager";
import { SignerIdentities } from "./SignerIdentities";

export const metadata: Metadata = { title: "Certificates" };
export const dynamic = "force-dynamic";

/** The account whose certificates are shown: one's own, or (admins only) `?username=`'s, read-only. */
async function accountToShow(
  user: CurrentUser,
  username: string | undefined,
): Promise<{ id: string; username: string; own: boolean }> {
  if (!username || username === user.username) return { id: user.id, username: user.username, own: true };
  if (user.role !== "ADMIN") forbidden();
  const account = await getDb().user.findUnique({ where: { username }, select: { id: true, username: true } });
  if (!account) notFound();
  return { ...account, own: false };
}

export default async function CertificatesPage({
  searchParams,
}: {
  searchParams: Promise<{ username?: string | string[] }>;
}) {
  const { username } = await searchParams;
  const user = await requireUser("/account/certificates");
  const account = await accountToShow(user, typeof username === "string" ? username : undefined);
  const [certificates, identities] = await Promise.all([
    listRegisteredCertificates(getDb(), account.id),
    listSignerIdentities(getDb(), account.id),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">
          {account.own ? "Certificates" : `Certificates of ${account.username}`}
        </h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          {account.own
            ? "Register the code-signing certificates your packages are signed with, then prove you hold each one's private key. Every signed package you push is checked against them: a package signed with a certificate that no owner registered and proved is refused. Several accounts may register the same certificate (co-owners sharing one), but each proves possession on its own, and package pages show whose proof let each version through."
            : "You are viewing another account's certificates as an administrator; only the account itself can change them."}
        </p>
      </div>
      <CertificateManager
        initialCertificates={certificates}
        editable={account.own}
        trustedRoots={trustedRootSubjects(galleryTrustStore().codeSigningRoots)}
      />
      <SignerIdentities initialIdentities={identities} editable={account.own} />
    </div>
  );
}

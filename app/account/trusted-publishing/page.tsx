import type { Metadata } from "next";
import { requestFeedSource } from "@/app/_components/feed-source";
import { requireUser } from "@/lib/web/session";
import { trustedPublishingSettings } from "@/lib/config";
import { getDb } from "@/lib/services";
import { listPolicies } from "@/lib/trusted-publishing/policies";
import { TrustedPublishingManager } from "./TrustedPublishingManager";

export const metadata: Metadata = { title: "Trusted publishing" };
export const dynamic = "force-dynamic";

export default async function TrustedPublishingPage() {
  const user = await requireUser("/account/trusted-publishing");
  const settings = trustedPublishingSettings();
  const [policies, source] = await Promise.all([listPolicies(getDb(), user.id, settings.issuers), requestFeedSource()]);
  const origin = new URL(source.serviceIndexUrl).origin;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Trusted publishing</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Let a CI workflow publish your packages without a stored API key. The job asks its CI system (GitHub Actions
          or GitLab) for an OIDC token naming this gallery, exchanges it here for a key that is valid for one hour and
          pushes once, and the version&apos;s page shows which repository, workflow and commit published it. A policy is
          bound to the repository&apos;s numeric IDs the first time it is used, so a repository deleted and recreated
          under the same name cannot use it.
        </p>
      </div>
      <TrustedPublishingManager
        initialPolicies={policies}
        issuers={settings.issuers}
        audience={settings.audience}
        exchangeUrl={`${origin}/api/trusted-publishing/exchange`}
        sourceUrl={source.serviceIndexUrl}
      />
    </div>
  );
}

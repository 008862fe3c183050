import type { Metadata } from "next";
import { listApiKeys } from "@/lib/api-keys/registry";
import { requireUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { requestFeedSource } from "@/app/_components/feed-source";
import { ApiKeyManager } from "./ApiKeyManager";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  const user = await requireUser("/account/api-keys");
  const apiKeys = await listApiKeys(getDb(), user.id);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          An API key lets <code className="text-sm">dotnet nuget push</code> publish packages as you. Give each key only
          the scopes and package IDs it needs and a short life; a key that leaks can then do little, and you can revoke
          it here at any time.
        </p>
      </div>
      <ApiKeyManager initialKeys={apiKeys} serviceIndexUrl={(await requestFeedSource()).serviceIndexUrl} />
    </div>
  );
}

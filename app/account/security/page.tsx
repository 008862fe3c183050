import type { Metadata } from "next";
import { SecuritySettings } from "@/app/account/security/SecuritySettings";
import { secondFactorSummary } from "@/lib/auth/second-factor";
import { requireUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const user = await requireUser("/account/security");
  const summary = await secondFactorSummary(getDb(), user.id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Security</h1>
      <p className="max-w-2xl text-slate-600">
        Two-factor authentication is needed to register or remove certificates, create API keys and for any
        administrator change, as on nuget.org. Once it is on, every sign-in asks for it, and those changes ask again 15
        minutes after the last time.
      </p>
      <SecuritySettings
        initial={{
          authenticatorApp: summary.authenticatorApp,
          recoveryCodesLeft: summary.recoveryCodesLeft,
          passkeys: summary.passkeys.map((passkey) => ({
            id: passkey.id,
            name: passkey.name,
            createdAt: passkey.createdAt.toISOString(),
          })),
        }}
      />
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/app/signin/SignInForm";
import { safeCallbackPath, signInErrorMessage } from "@/lib/auth/forms";
import { getCurrentUser } from "@/lib/web/session";
import { githubOAuthConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : null);
  if (await getCurrentUser()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? signInErrorMessage(params.error) : null;
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <SignInForm callbackUrl={callbackUrl} initialError={error} githubEnabled={githubOAuthConfig() !== null} />
      <p className="text-sm text-slate-600">
        New here? <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>
      </p>
    </div>
  );
}

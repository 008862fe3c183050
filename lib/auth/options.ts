// next-auth configuration: email + password always, GitHub when GITHUB_ID/GITHUB_SECRET are set.
// Sessions are signed JWTs holding only the user id; everything else is read fresh from the
// database on each request (lib/auth/session.ts), so locking or demoting a user takes effect at once.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { authenticateWithPassword, linkGitHubAccount } from "@/lib/auth/accounts";
import { safeCallbackPath } from "@/lib/auth/forms";
import { fetchVerifiedPrimaryEmail } from "@/lib/auth/github";
import { authSecret, githubOAuthConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { IssueError } from "@/lib/issues";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

function providers(): AuthOptions["providers"] {
  const credentials = CredentialsProvider({
    name: "Email and password",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(input) {
      const result = await authenticateWithPassword(getDb(), input);
      if (!result.ok) {
        // next-auth hands the message to the sign-in form as `error`.
        if (result.reason === "ACCOUNT_LOCKED") throw new Error("ACCOUNT_LOCKED");
        return null;
      }
      return { id: result.user.id, email: result.user.email, name: result.user.displayName ?? result.user.username };
    },
  });
  const github = githubOAuthConfig();
  return github
    ? [credentials, GitHubProvider({ clientId: github.clientId, clientSecret: github.clientSecret })]
    : [credentials];
}

let cached: AuthOptions | undefined;

export function authOptions(): AuthOptions {
  cached ??= {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: providers(),
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== "github") return true;
        const login = (profile as { login?: string } | undefined)?.login ?? "";
        const verifiedEmail = account.access_token ? await fetchVerifiedPrimaryEmail(account.access_token) : null;
        try {
          const user = await linkGitHubAccount(getDb(), { githubId: account.providerAccountId, login, verifiedEmail });
          return user.lockedAt ? "/signin?error=ACCOUNT_LOCKED" : true;
        } catch (error) {
          if (error instanceof IssueError) return `/signin?error=${error.code}`;
          throw error;
        }
      },
      async jwt({ token, user, account }) {
        if (account?.provider === "github") {
          const link = await getDb().oAuthAccount.findUnique({
            where: { provider_providerAccountId: { provider: "github", providerAccountId: account.providerAccountId } },
          });
          if (link) token.sub = link.userId;
        } else if (user) {
          token.sub = user.id;
        }
        return token;
      },
      // Where next-auth sends the browser after GitHub sign-in or sign-out: this site only.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url)}`;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
  return cached;
}

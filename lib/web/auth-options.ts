// next-auth configuration: email + password always, GitHub when GITHUB_ID/GITHUB_SECRET are set.
// Sessions are signed JWTs holding the user id and a server-side session id (lib/auth/sessions.ts);
// everything else is read fresh from the database on each request (lib/web/session.ts), so
// signing out, locking or demoting a user takes effect at once.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { authenticateWithPassword, linkGitHubAccount } from "@/lib/auth/accounts";
import { safeCallbackPath } from "@/lib/auth/forms";
import { fetchVerifiedPrimaryEmail } from "@/lib/auth/github";
import { HashingBusyError } from "@/lib/auth/hashing-gate";
import { clientAddress } from "@/lib/http/client-address";
import { relyingPartyFor } from "@/lib/auth/webauthn";
import { authSecret, githubOAuthConfig } from "@/lib/config";
import { SESSION_MAX_AGE_SECONDS, endSession, openSession } from "@/lib/auth/sessions";
import { IssueError } from "@/lib/issues";
import { getDb, services } from "@/lib/services";

function providers(): AuthOptions["providers"] {
  const credentials = CredentialsProvider({
    name: "Email and password",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(input, request) {
      const headers = new Headers(request.headers as Record<string, string> | undefined);
      let result;
      try {
        result = await authenticateWithPassword(getDb(), input, {
          address: clientAddress(headers),
          relyingParty: relyingPartyFor(headers),
          throttle: services.signInThrottle,
          hashing: services.hashingGate,
          passkeyChallenges: services.passkeyChallenges,
        });
      } catch (error) {
        if (error instanceof HashingBusyError) throw new Error("SIGN_IN_BUSY");
        throw error;
      }
      if (!result.ok) {
        // next-auth hands the message to the sign-in form as `error`.
        if (result.reason !== "INVALID_CREDENTIALS") throw new Error(result.reason);
        return null;
      }
      return {
        id: result.user.id,
        email: result.user.email,
        name: result.user.displayName ?? result.user.username,
        secondFactor: result.secondFactor,
      };
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
        // A sign-in (user is set only then) opens a server-side session that the cookie names.
        if (user && token.sub)
          token.sid = await openSession(getDb(), token.sub, { secondFactor: user.secondFactor === true });
        return token;
      },
      // Where next-auth sends the browser after GitHub sign-in or sign-out: this site only.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url)}`;
      },
      session({ session, token }) {
        return { ...session, userId: token.sub, sessionId: typeof token.sid === "string" ? token.sid : undefined };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(getDb(), token.sid);
      },
    },
  };
  return cached;
}

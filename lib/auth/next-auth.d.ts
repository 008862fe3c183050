import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    /** Set by the credentials provider: a second factor was proved at this sign-in. */
    secondFactor?: boolean;
  }

  interface Session {
    /** The signed-in account's User.id (the JWT subject). */
    userId?: string;
    /** The server-side Session row this cookie stands for (lib/auth/sessions.ts). */
    sessionId?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}

import "next-auth";

declare module "next-auth" {
  interface Session {
    /** The signed-in account's User.id (the JWT subject). */
    userId?: string;
  }
}

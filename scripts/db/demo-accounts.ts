// Demo accounts for the embedded sample database (npm run db:seed). The passwords are public on
// purpose (the README prints them); they exist only in a local demo database.
export const DEMO_ACCOUNTS = [
  { email: "admin@signet.test", username: "admin", displayName: "Demo Admin", role: "ADMIN", password: "signet-admin-demo" },
  { email: "author@signet.test", username: "author", displayName: "Demo Author", role: "USER", password: "signet-author-demo" },
] as const;

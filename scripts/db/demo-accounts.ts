// Demo accounts for the embedded sample database (npm run db:seed). The passwords and the
// authenticator-app secrets are public on purpose (the README prints them, and
// `npm run demo:code` prints the current code); they exist only in a local demo database.
// Both accounts have two-factor authentication on, as nuget.org requires for certificates and
// API keys, so the demo shows the sign-in and the second-factor prompts as they really are.
export const DEMO_ACCOUNTS = [
  {
    email: "admin@signet.test",
    username: "admin",
    displayName: "Demo Admin",
    role: "ADMIN",
    password: "signet-admin-demo",
    totpSecret: "KRUGS4ZANFZSAYJAMRSW233BMRWWS3TP",
  },
  {
    email: "author@signet.test",
    username: "author",
    displayName: "Demo Author",
    role: "USER",
    password: "signet-author-demo",
    totpSecret: "KRUGS4ZANFZSAYJAMRSW233BOV2GQ33S",
  },
] as const;

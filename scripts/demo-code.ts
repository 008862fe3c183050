// npm run demo:code [-- admin|author]: the current authenticator code of a demo account, for
// trying the demo gallery without an authenticator app (the secrets are public demo data).
import { Secret, TOTP } from "otpauth";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";

const wanted = process.argv[2] ?? "admin";
const account = DEMO_ACCOUNTS.find((candidate) => candidate.username === wanted);
if (!account) {
  console.error(
    `No demo account '${wanted}'; choose ${DEMO_ACCOUNTS.map((candidate) => candidate.username).join(" or ")}.`,
  );
  process.exit(1);
}
const totp = new TOTP({
  issuer: "Signet",
  label: account.email,
  algorithm: "SHA1",
  digits: 6,
  period: 30,
  secret: Secret.fromBase32(account.totpSecret),
});
const secondsLeft = Math.ceil(totp.remaining() / 1000);
console.log(`${account.username}: ${totp.generate()} (valid for ${secondsLeft} more seconds; codes are accepted once)`);

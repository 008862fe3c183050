// The e2e stand-in for a CI system's OIDC issuer (playwright.config.ts starts it): tokens with
// the gallery's audience, asked for at POST /token as a CI job asks its runner for one.
import { startOidcIssuer } from "@/test/support/oidc-issuer";
import { e2eBaseUrl, e2eOidcPort } from "./environment";

void startOidcIssuer({ port: e2eOidcPort, defaultAudience: e2eBaseUrl }).then((issuer) =>
  console.log(`OIDC issuer listening on ${issuer.url}`),
);

// The CI configuration a policy's page shows, exact for that policy: GitHub Actions needs
// `permissions: id-token: write` to request a token (with this gallery's audience) from
// ACTIONS_ID_TOKEN_REQUEST_URL; GitLab CI names the token and its audience under `id_tokens`.
// Each token exchanges once for a key that pushes once, so GitHub requests a token per package;
// a GitLab job gets one token, so it pushes one package.
import type { CiPlatform } from "@/lib/config";

export interface SnippetTarget {
  platform: CiPlatform;
  packagePattern: string;
  workflow: string;
  environment: string | null;
  /** The audience tokens must name. */
  audience: string;
  /** The token exchange endpoint. */
  exchangeUrl: string;
  /** The package source (service index) to push to. */
  sourceUrl: string;
}

/** The .nupkg files the job pushes: the policy's package (its versions start with a digit, unlike Contoso.Lib.Extras), or every package under its prefix. */
function packageGlob(packagePattern: string): string {
  return packagePattern.endsWith("*") ? `${packagePattern.slice(0, -1)}*.nupkg` : `${packagePattern}.[0-9]*.nupkg`;
}

/** A YAML single-quoted scalar (quotes doubled), so any audience or URL stays one string. */
function yamlQuoted(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function github(target: SnippetTarget): string {
  return `# ${target.workflow}
on:
  push:
    tags: ["v*"]

permissions:
  id-token: write # lets the job request an OIDC token
  contents: read

jobs:
  publish:
    runs-on: ubuntu-latest
${target.environment ? `    environment: ${yamlQuoted(target.environment)}\n` : ""}    env:
      SIGNET_AUDIENCE: ${yamlQuoted(target.audience)}
      SIGNET_EXCHANGE: ${yamlQuoted(target.exchangeUrl)}
      SIGNET_SOURCE: ${yamlQuoted(target.sourceUrl)}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-dotnet@v4
      - run: dotnet pack --configuration Release --output out
      - name: Push each package with a one-hour, single-use key
        run: |
          for package in out/${packageGlob(target.packagePattern)}; do
            token=$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\
              "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=$(jq -rn --arg a "$SIGNET_AUDIENCE" '$a|@uri')" | jq -r .value)
            key=$(curl -sSf -X POST -H 'content-type: application/json' \\
              -d "$(jq -n --arg t "$token" '{token: $t}')" "$SIGNET_EXCHANGE" | jq -r .apiKey)
            echo "::add-mask::$key"
            dotnet nuget push "$package" --source "$SIGNET_SOURCE" --api-key "$key"
          done
`;
}

function gitlab(target: SnippetTarget): string {
  return `# ${target.workflow}
publish:
  image: mcr.microsoft.com/dotnet/sdk:8.0
  rules:
    - if: $CI_COMMIT_TAG
${target.environment ? `  environment: ${yamlQuoted(target.environment)}\n` : ""}  id_tokens:
    SIGNET_ID_TOKEN:
      aud: ${yamlQuoted(target.audience)}
  variables:
    SIGNET_EXCHANGE: ${yamlQuoted(target.exchangeUrl)}
    SIGNET_SOURCE: ${yamlQuoted(target.sourceUrl)}
  script:
    - dotnet pack --configuration Release --output out
    # One token per job, and its key pushes once: one package per job.
    - package=$(ls out/${packageGlob(target.packagePattern)} | head -n 1)
    - >-
      key=$(curl -sSf -X POST -H 'content-type: application/json'
      -d "{\\"token\\":\\"$SIGNET_ID_TOKEN\\"}" "$SIGNET_EXCHANGE"
      | sed -E 's/.*"apiKey":"([^"]+)".*/\\1/')
    - dotnet nuget push "$package" --source "$SIGNET_SOURCE" --api-key "$key"
`;
}

export function workflowSnippet(target: SnippetTarget): string {
  return target.platform === "github" ? github(target) : gitlab(target);
}

// The CI configuration a policy's page shows parses as YAML and says what each CI system needs:
// GitHub's id-token permission and the gallery's audience in the token request, the policy's
// environment; GitLab's id_tokens entry with that audience; both the exchange and source URLs.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { workflowSnippet, type SnippetTarget } from "./snippets";

const TARGET: Omit<SnippetTarget, "platform"> = {
  packagePattern: "Contoso.*",
  workflow: ".github/workflows/release.yml",
  environment: "release",
  audience: "https://gallery.example/it's",
  exchangeUrl: "https://gallery.example/api/trusted-publishing/exchange",
  sourceUrl: "https://gallery.example/v3/index.json",
};

describe("workflow snippets", () => {
  it("gives GitHub Actions the id-token permission, the audience, the environment and a token per package", () => {
    const snippet = workflowSnippet({ ...TARGET, platform: "github" });
    const workflow = parse(snippet) as {
      permissions: Record<string, string>;
      jobs: { publish: { environment: string; env: Record<string, string>; steps: { run?: string }[] } };
    };
    expect(workflow.permissions["id-token"]).toBe("write");
    expect(workflow.jobs.publish.environment).toBe("release");
    expect(workflow.jobs.publish.env).toEqual({
      SIGNET_AUDIENCE: TARGET.audience,
      SIGNET_EXCHANGE: TARGET.exchangeUrl,
      SIGNET_SOURCE: TARGET.sourceUrl,
    });
    const push = workflow.jobs.publish.steps.at(-1)?.run ?? "";
    expect(push).toContain("for package in out/Contoso.*.nupkg; do");
    expect(push).toContain("$ACTIONS_ID_TOKEN_REQUEST_URL&audience=");
    expect(push).toContain('dotnet nuget push "$package" --source "$SIGNET_SOURCE" --api-key "$key"');
  });

  it("gives a GitLab job an id_tokens entry with the audience, and leaves out the environment when the policy has none", () => {
    const snippet = workflowSnippet({
      ...TARGET,
      platform: "gitlab",
      packagePattern: "Contoso.Lib",
      workflow: ".gitlab-ci.yml",
      environment: null,
    });
    const pipeline = parse(snippet) as {
      publish: {
        environment?: string;
        id_tokens: Record<string, { aud: string }>;
        variables: Record<string, string>;
        script: string[];
      };
    };
    expect(pipeline.publish.id_tokens).toEqual({ SIGNET_ID_TOKEN: { aud: TARGET.audience } });
    expect(pipeline.publish.environment).toBeUndefined();
    expect(pipeline.publish.variables).toEqual({
      SIGNET_EXCHANGE: TARGET.exchangeUrl,
      SIGNET_SOURCE: TARGET.sourceUrl,
    });
    expect(pipeline.publish.script[1]).toBe("package=$(ls out/Contoso.Lib.[0-9]*.nupkg | head -n 1)");
    expect(pipeline.publish.script[2]).toBe(
      `key=$(curl -sSf -X POST -H 'content-type: application/json' -d "{\\"token\\":\\"$SIGNET_ID_TOKEN\\"}" "$SIGNET_EXCHANGE" | sed -E 's/.*"apiKey":"([^"]+)".*/\\1/')`,
    );
  });
});

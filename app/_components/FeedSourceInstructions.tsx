// How to use this gallery as a NuGet source: its URL, the command that adds it, and a
// nuget.config whose package source mapping keeps reserved IDs on this gallery alone.
import { CodeSnippet } from "@/app/_components/packages/CodeSnippet";
import { addSourceCommand, sourceMappingConfig, type FeedSource } from "@/lib/nuget-client/client-config";

export function FeedSourceInstructions({
  source,
  patterns,
  mappingNote,
}: {
  source: FeedSource;
  patterns: readonly string[];
  mappingNote: string;
}) {
  return (
    <div className="space-y-2 text-sm">
      <h3 className="text-slate-600">Source URL</h3>
      <CodeSnippet code={source.serviceIndexUrl} label="Copy the source URL" id="feed-source-url" />
      <h3 className="text-slate-600">Add the source</h3>
      <CodeSnippet
        code={addSourceCommand(source)}
        label="Copy the dotnet nuget add source command"
        id="feed-add-source"
      />
      <h3 className="text-slate-600">Package source mapping (nuget.config)</h3>
      {patterns.length > 0 ? (
        <>
          <p className="text-slate-600">{mappingNote}</p>
          <CodeSnippet
            code={sourceMappingConfig(source, patterns)}
            label="Copy the nuget.config with package source mapping"
            id="feed-source-mapping"
          />
        </>
      ) : (
        <p className="text-slate-600">
          No package IDs are reserved on this gallery yet, so there is nothing to map to it alone.
        </p>
      )}
    </div>
  );
}

// The real client's verdicts on many packages at once: `dotnet nuget verify --all` takes
// several paths and judges them in order, printing a section per package that starts with
// "Verifying <id>.<version>" and ends with "Successfully verified package" or "Package
// signature validation failed." Starting the client costs seconds on this machine, so the
// differential test hands it its packages in a few large batches and reads the sections.

import { errorCodes, runDotnet, type OverlaySdk } from "@/test/support/dotnet";

export interface Verdict {
  valid: boolean;
  /** Error codes in the order reported, without repeats; the first is the one compared. */
  codes: string[];
}

export interface ClientVerdict extends Verdict {
  /** The package's section of the client's output, for a failed comparison. */
  output: string;
}

const SECTION_START = /^Verifying (\S+)$/m;
const SUCCESS = /^Successfully verified package '([^']+)'\.$/m;

/** Splits the output of one run into sections keyed by "<id>.<version>". */
function sections(output: string): Map<string, string> {
  const result = new Map<string, string>();
  const starts = [...output.matchAll(new RegExp(SECTION_START.source, "gm"))];
  for (const [index, match] of starts.entries()) {
    const end = starts[index + 1]?.index ?? output.length;
    result.set(match[1] ?? "", output.slice(match.index, end));
  }
  return result;
}

/**
 * Verifies `packages` (paths, each named "<id>.<version>.nupkg" with a unique id) and returns
 * each package's verdict by identity. Some damage makes the client give up on the whole run
 * right after that package's "Verifying" line (a second signature file, an unreadable
 * nuspec: an uncoded `error:` line); that package has failed, and the client is run again on
 * the packages after it. When it cannot read the first package's identity at all, it prints
 * only the error: that package has failed. Anything else without a section is an error, so
 * a run that stopped for another reason cannot pass for verdicts.
 */
export async function clientVerdicts(
  sdk: OverlaySdk,
  packages: ReadonlyArray<{ identity: string; path: string }>,
): Promise<Map<string, ClientVerdict>> {
  const verdicts = new Map<string, ClientVerdict>();
  let remaining = [...packages];
  while (remaining.length > 0) {
    const run = await runDotnet(sdk, ["nuget", "verify", "--all", ...remaining.map((item) => item.path), "-v", "n"], {
      timeoutMs: 600_000,
    });
    const bySection = sections(run.output);
    const judged = remaining.findIndex(({ identity }) => !bySection.has(identity));
    const done = judged === -1 ? remaining : remaining.slice(0, judged);
    if (done.length === 0) {
      // It could not even read the first package's identity (no nuspec, a broken one): that package failed, alone.
      const first = remaining[0] as { identity: string };
      if (run.exitCode === 0 || !/^error: /m.test(run.output))
        throw new Error(
          `The client printed no section for ${first.identity} (exit code ${run.exitCode}):\n${run.output.slice(-4000)}`,
        );
      verdicts.set(first.identity, { valid: false, codes: errorCodes(run.output), output: run.output });
      remaining = remaining.slice(1);
      continue;
    }
    for (const { identity } of done) {
      const section = bySection.get(identity) ?? "";
      verdicts.set(identity, {
        valid: SUCCESS.exec(section)?.[1] === identity,
        codes: errorCodes(section),
        output: section,
      });
    }
    remaining = remaining.slice(done.length);
  }
  return verdicts;
}

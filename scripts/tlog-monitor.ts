// Follows a Signet gallery's publication log and reports new entries about the packages and
// signers it watches. Run with --help for usage and exit codes.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseFingerprint } from "@/lib/certificates/fingerprint";
import { IssueError } from "@/lib/issues";
import { LogCheckError } from "@/lib/tlog/client";
import { followLog, type MonitorState } from "@/lib/tlog/monitor";
import { NoteError, parseVerifierKey } from "@/lib/tlog/note";

const HELP = `Usage: npm run tlog:monitor -- --log <gallery-url> --state <file> [--prefix <ID prefix>]... [--signer <fingerprint>]... [options]

Follows the gallery's publication log from the checkpoint saved in the state file (or from the
start when the file does not exist yet), checks that the log's new signed checkpoint extends it,
and prints every new entry for the watched package ID prefixes and signer certificates. The state
file is updated only when every check passed.

Options:
  --log <gallery-url>       The gallery, e.g. https://gallery.example/.
  --log-key <key>           The log's verifier key (<name>+<id>+<key>; default SIGNET_LOG_VERIFIER_KEY).
  --state <file>            Where the last verified checkpoint is kept (JSON).
  --prefix <ID prefix>      Watch package IDs starting with this, any case; repeatable.
  --signer <fingerprint>    Watch this SHA-256 certificate fingerprint (author signer, repository
                            certificate or compromise mark); repeatable.
  --check-files             Download each watched version a new entry published or repository-signed,
                            and check its SHA-512 against the last entry the log has for it.
  -h, --help                Show this help.

Exit codes: 0 all checks passed, 1 a problem was found (printed), 2 usage error.`;

function readState(file: string): MonitorState | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")) as MonitorState;
}

function writeState(file: string, state: MonitorState): void {
  // Written whole, then renamed: a crash never leaves half a state file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        log: { type: "string" },
        "log-key": { type: "string" },
        state: { type: "string" },
        prefix: { type: "string", multiple: true, default: [] },
        signer: { type: "string", multiple: true, default: [] },
        "check-files": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (cause) {
    console.error(`${(cause as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const key = values["log-key"] ?? process.env.SIGNET_LOG_VERIFIER_KEY;
  if (!values.log || !values.state || !key) {
    console.error(HELP);
    return 2;
  }
  let endpoint;
  let signers: string[];
  let state: MonitorState | null;
  try {
    endpoint = {
      galleryUrl: new URL(values.log.endsWith("/") ? values.log : `${values.log}/`),
      verifier: parseVerifierKey(key),
    };
    signers = values.signer.map(parseFingerprint);
    state = readState(values.state);
  } catch (cause) {
    const known =
      cause instanceof NoteError ||
      cause instanceof IssueError ||
      cause instanceof SyntaxError ||
      cause instanceof TypeError;
    if (!known) throw cause;
    console.error(`Cannot start: ${(cause as Error).message}`);
    return 2;
  }
  try {
    const report = await followLog(
      endpoint,
      state,
      { idPrefixes: values.prefix, signers },
      { checkFiles: values["check-files"] },
    );
    console.log(`log ${report.origin}: tree size ${report.previousSize} -> ${report.size}`);
    for (const line of report.matches) console.log(line);
    for (const problem of report.problems) console.log(`PROBLEM: ${problem}`);
    if (report.state && report.state !== state) writeState(values.state, report.state);
    return report.problems.length === 0 ? 0 : 1;
  } catch (cause) {
    if (!(cause instanceof LogCheckError || cause instanceof NoteError)) throw cause;
    console.log(`PROBLEM: ${cause.message}`);
    return 1;
  }
}

process.exitCode = await main();

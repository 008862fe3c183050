// npm run tlog:keygen -- <name>: prints a new publication log signing key (for SIGNET_LOG_KEY)
// and its verifier key (what clients pin). The name is the log's origin, e.g. gallery.example/log.
import { generateSignerKey, NoteError, parseSignerKey, verifierKeyString } from "@/lib/tlog/note";

const [name, ...extra] = process.argv.slice(2);
if (!name || extra.length > 0) {
  console.error("Usage: npm run tlog:keygen -- <name>   (the log's origin, e.g. gallery.example/log)");
  process.exitCode = 2;
} else {
  try {
    const signerKey = generateSignerKey(name);
    console.log(`SIGNET_LOG_KEY=${signerKey}`);
    console.log(`verifier key: ${verifierKeyString(parseSignerKey(signerKey))}`);
  } catch (cause) {
    if (!(cause instanceof NoteError)) throw cause;
    console.error(cause.message);
    process.exitCode = 2;
  }
}

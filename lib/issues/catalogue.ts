// Every issue code the gallery speaks, in one place: what level it is raised at, the HTTP status
// a refusal with it answers, and a short title. `IssueCode` is derived from this object, so a
// code that is not written here does not compile.
//
// Adding a code is one line in the section it belongs to:
//   MY_NEW_CODE: { level: "error", status: 400, title: "What went wrong, in a few words" },
//
// - level "error" or "warning" is the level the gallery raises it at; "either" is for NuGet's own
//   signing codes (NU3xxx), which NuGet reports as an error or a warning depending on the
//   verification policy, and so does the gallery.
// - status is what an API answers when an operation is refused with this code (warnings do not
//   refuse, so they have none). 4xx means the client's request or package is at fault; 5xx
//   means the gallery (or a service it depends on) is. A 5xx refusal is logged with a reference.
// - A code that has been stored (an upload's issues) stays here even when nothing raises it any
//   more, so old records still read.
//
// Decisions worth knowing:
// - PACKAGE_ID_RESERVED is 403 on every route. nuget.org answers 409 Conflict on push, but the
//   NuGet client's `dotnet nuget push --skip-duplicate` treats any 409 as "this version already
//   exists" and reports success (NuGet.Client's PackageUpdateResource), so a 409 would let a
//   refused push pass silently in CI. 409 is kept for what it means to the client:
//   PACKAGE_VERSION_EXISTS.
// - A key that does not work is 401 (the client then says the key is invalid or expired); a key
//   or account that works but may not do this is 403.

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 411 | 413 | 415 | 416 | 429 | 500 | 502 | 503;

export type IssueDefinition =
  { level: "error" | "either"; status: ErrorStatus; title: string } | { level: "warning"; title: string };

export const ISSUE_CATALOGUE = {
  // Requests, sessions and the shared HTTP layer
  UNAUTHENTICATED: { level: "error", status: 401, title: "Sign-in needed" },
  FORBIDDEN: { level: "error", status: 403, title: "Not allowed" },
  CROSS_SITE_REQUEST: { level: "error", status: 403, title: "Request from another site" },
  NOT_FOUND: { level: "error", status: 404, title: "No such document" },
  INVALID_REQUEST: { level: "error", status: 400, title: "Request not valid" },
  INVALID_FIELD: { level: "error", status: 400, title: "Field not valid" },
  INVALID_QUERY_PARAMETER: { level: "error", status: 400, title: "Query parameter not valid" },
  INVALID_URL: { level: "error", status: 400, title: "Address not valid" },
  BODY_TOO_LARGE: { level: "error", status: 413, title: "Request body too large" },
  LENGTH_REQUIRED: { level: "error", status: 411, title: "Body length not declared" },
  UNSUPPORTED_MEDIA_TYPE: { level: "error", status: 415, title: "Wrong content type" },
  RANGE_NOT_SATISFIABLE: { level: "error", status: 416, title: "Byte range outside the file" },
  REQUEST_REFUSED: { level: "error", status: 400, title: "Request refused" },
  REQUEST_FAILED: { level: "error", status: 502, title: "Request did not reach the gallery" },
  INTERNAL_ERROR: { level: "error", status: 500, title: "Gallery fault" },
  DATABASE_BUSY: { level: "error", status: 503, title: "Database busy" },

  // Accounts, sign-in and second factors
  INVALID_CREDENTIALS: { level: "error", status: 401, title: "Email or password not right" },
  ACCOUNT_LOCKED: { level: "error", status: 403, title: "Account locked" },
  SIGN_IN_THROTTLED: { level: "error", status: 429, title: "Too many sign-in attempts" },
  SIGN_IN_BUSY: { level: "error", status: 503, title: "Sign-in busy" },
  SECOND_FACTOR_REQUIRED: { level: "error", status: 403, title: "Second factor needed" },
  SECOND_FACTOR_INVALID: { level: "error", status: 400, title: "Second factor did not work" },
  SECOND_FACTOR_NOT_FOUND: { level: "error", status: 404, title: "No such second factor" },
  STEP_UP_REQUIRED: { level: "error", status: 403, title: "Confirm it is you" },
  GITHUB_EMAIL_UNVERIFIED: { level: "error", status: 400, title: "GitHub email not verified" },
  INVALID_EMAIL: { level: "error", status: 400, title: "Email address not valid" },
  WEAK_PASSWORD: { level: "error", status: 400, title: "Password too weak" },
  WRONG_PASSWORD: { level: "error", status: 400, title: "Current password not right" },
  INVALID_CODE: { level: "error", status: 400, title: "Code does not match" },
  AUTHENTICATOR_APP_EXISTS: { level: "error", status: 409, title: "Authenticator app already set up" },
  AUTHENTICATOR_APP_NOT_STARTED: { level: "error", status: 400, title: "Authenticator app set-up not started" },
  PASSKEY_CHALLENGE_EXPIRED: { level: "error", status: 400, title: "Passkey request expired" },
  PASSKEY_REJECTED: { level: "error", status: 400, title: "Passkey not accepted" },
  USER_NOT_FOUND: { level: "error", status: 404, title: "No such account" },
  UNKNOWN_USERNAME: { level: "error", status: 400, title: "Unknown username" },
  OWN_ACCOUNT_FORBIDDEN: { level: "error", status: 403, title: "Cannot change own account" },

  // API keys
  API_KEY_MISSING: { level: "error", status: 401, title: "API key missing" },
  API_KEY_INVALID: { level: "error", status: 401, title: "API key not valid" },
  API_KEY_REVOKED: { level: "error", status: 401, title: "API key revoked" },
  API_KEY_EXPIRED: { level: "error", status: 401, title: "API key expired" },
  API_KEY_EXPIRING: { level: "warning", title: "API key expires soon" },
  API_KEY_SCOPE_DENIED: { level: "error", status: 403, title: "API key may not do this" },
  API_KEY_PACKAGE_DENIED: { level: "error", status: 403, title: "API key does not cover this package" },
  API_KEY_NOT_FOUND: { level: "error", status: 404, title: "No such API key" },

  // Certificates and signing settings
  CERTIFICATE_EMPTY: { level: "error", status: 400, title: "Certificate file empty" },
  CERTIFICATE_TOO_LARGE: { level: "error", status: 413, title: "Certificate file too large" },
  CERTIFICATE_IS_PKCS12: { level: "error", status: 400, title: "Certificate file holds a private key" },
  CERTIFICATE_IS_AUTHORITY: { level: "error", status: 400, title: "Certificate authority, not a signer" },
  CERTIFICATE_UNREADABLE: { level: "error", status: 400, title: "Certificate cannot be read" },
  CERTIFICATE_REJECTED: { level: "error", status: 400, title: "Certificate cannot be registered" },
  CERTIFICATE_REGISTRATION_EXISTS: { level: "error", status: 409, title: "Certificate already registered" },
  CERTIFICATE_NOT_FOUND: { level: "error", status: 404, title: "No such certificate" },
  CERTIFICATE_COMPROMISED: { level: "error", status: 400, title: "Certificate marked compromised" },
  INVALID_FINGERPRINT: { level: "error", status: 400, title: "Fingerprint not valid" },
  PACKAGE_FORBIDDEN: { level: "error", status: 403, title: "Not an owner of the package" },
  REQUIRED_SIGNER_NOT_OWNER: { level: "error", status: 400, title: "Required signer is not an owner" },
  OWNER_ALREADY: { level: "error", status: 400, title: "Already an owner" },
  OWNER_NOT_FOUND: { level: "error", status: 404, title: "Not an owner" },
  LAST_OWNER: { level: "error", status: 400, title: "Package's last owner" },
  USER_LOCKED: { level: "error", status: 400, title: "Account locked" },
  INVITATION_NOT_FOUND: { level: "error", status: 404, title: "No such invitation" },
  SIGNER_COMPROMISED: { level: "warning", title: "Signer's certificate compromised" },
  SIGNER_NOT_REGISTERED: { level: "error", status: 400, title: "Signer's certificate not registered" },
  SIGNER_NOT_PROVEN: { level: "error", status: 400, title: "Signer registered but possession not proven" },

  // Proof of possession and signer identities (lib/identity)
  CHALLENGE_NOT_FOUND: { level: "error", status: 404, title: "No such challenge" },
  CHALLENGE_OTHER_ACCOUNT: { level: "error", status: 403, title: "Challenge issued to another account" },
  CHALLENGE_ALREADY_ANSWERED: { level: "error", status: 409, title: "Challenge already answered" },
  CHALLENGE_EXPIRED: { level: "error", status: 400, title: "Challenge expired" },
  CHALLENGE_MISMATCH: { level: "error", status: 400, title: "Signed file answers another challenge" },
  CHALLENGE_CONTENT_MISMATCH: { level: "error", status: 400, title: "Signed text is not the challenge" },
  CHALLENGE_WRONG_SIGNER: { level: "error", status: 400, title: "Challenge signed by another key" },
  POSSESSION_SIGNATURE_INVALID: { level: "error", status: 400, title: "Signed challenge cannot be verified" },
  SIGNER_IDENTITY_NOT_FOUND: { level: "error", status: 404, title: "No such signer identity" },
  SIGNER_IDENTITY_INVALID: { level: "error", status: 400, title: "Signer identity not valid" },
  SIGNER_IDENTITY_EXISTS: { level: "error", status: 409, title: "Signer identity already registered" },

  // Trusted publishing (OIDC token exchange)
  OIDC_TOKEN_INVALID: { level: "error", status: 401, title: "OIDC token not valid" },
  OIDC_TOKEN_EXPIRED: { level: "error", status: 401, title: "OIDC token expired" },
  OIDC_TOKEN_REPLAYED: { level: "error", status: 401, title: "OIDC token already exchanged" },
  OIDC_ISSUER_UNREACHABLE: { level: "error", status: 502, title: "OIDC issuer unreachable" },
  TRUSTED_PUBLISHING_NO_POLICY: {
    level: "error",
    status: 403,
    title: "No trusted-publishing policy accepts the token",
  },
  TRUSTED_PUBLISHING_NOT_OWNER: { level: "error", status: 403, title: "Not an owner of the policy's packages" },
  TRUSTED_PUBLISHING_POLICY_NOT_FOUND: { level: "error", status: 404, title: "No such trusted-publishing policy" },

  // Uploads and publishing
  MULTIPART_INVALID: { level: "error", status: 400, title: "Multipart request not readable" },
  PACKAGE_MISSING: { level: "error", status: 400, title: "No package in the request" },
  PACKAGE_EMPTY: { level: "error", status: 400, title: "Package file empty" },
  PACKAGE_TOO_LARGE: { level: "error", status: 413, title: "Package too large" },
  PACKAGE_UNCOMPRESSED_TOO_LARGE: { level: "error", status: 413, title: "Package too large unpacked" },
  PACKAGE_TOO_MANY_ENTRIES: { level: "error", status: 400, title: "Too many files in the package" },
  UPLOAD_INTERRUPTED: { level: "error", status: 400, title: "Upload interrupted" },
  UPLOAD_NOT_FOUND: { level: "error", status: 404, title: "No such upload" },
  UPLOAD_FILE_NOT_FOUND: { level: "error", status: 404, title: "Upload's file not kept" },
  UPLOAD_ATTEMPT_CONFLICT: { level: "error", status: 409, title: "Upload changed meanwhile" },
  UPLOAD_IDENTITY_UNKNOWN: { level: "error", status: 400, title: "Upload has no package identity" },
  UPLOAD_REFUSED: { level: "error", status: 400, title: "Package refused" },
  UPLOADER_NOT_FOUND: { level: "error", status: 500, title: "Upload's account gone" },
  REVIEW_REASON_REQUIRED: { level: "error", status: 400, title: "Reason needed" },
  QUARANTINE_FILE_NOT_KEPT: { level: "warning", title: "Refused file not kept" },
  PACKAGE_NOT_FOUND: { level: "error", status: 404, title: "No such package" },
  ALTERNATE_PACKAGE_MISSING: { level: "error", status: 400, title: "Alternate package ID missing" },
  ALTERNATE_PACKAGE_SELF: { level: "error", status: 400, title: "Alternate package is the package itself" },
  ALTERNATE_RANGE_INVALID: { level: "error", status: 400, title: "Alternate version range not valid" },
  PACKAGE_NOT_OWNED: { level: "error", status: 403, title: "Package owned by others" },
  PACKAGE_VERSION_EXISTS: { level: "error", status: 409, title: "Version already exists" },
  PACKAGE_ID_RESERVED: { level: "error", status: 403, title: "Package ID reserved" },
  PACKAGE_NOT_SIGNED: { level: "error", status: 400, title: "Package must be signed" },
  AUTHOR_COUNTERSIGNATURE: { level: "error", status: 400, title: "Author countersignature" },
  AUTHOR_TIMESTAMP_MISSING: { level: "error", status: 400, title: "Author signature not timestamped" },
  AUTHOR_TIMESTAMP_MULTIPLE: { level: "error", status: 400, title: "Author signature has several timestamps" },
  AUTHOR_TIMESTAMP_INVALID: { level: "error", status: 400, title: "Author timestamp not valid" },
  REPOSITORY_SIGNATURE_REPLACED: { level: "warning", title: "Repository signature replaced" },

  // Package identity, manifest and contents
  PACKAGE_ID_INVALID: { level: "error", status: 400, title: "Package ID not valid" },
  PACKAGE_ID_TOO_LONG: { level: "error", status: 400, title: "Package ID too long" },
  VERSION_INVALID: { level: "error", status: 400, title: "Version not valid" },
  VERSION_TOO_LONG: { level: "error", status: 400, title: "Version too long" },
  VERSION_RANGE_INVALID: { level: "error", status: 400, title: "Version range not valid" },
  DEPENDENCY_ID_INVALID: { level: "error", status: 400, title: "Dependency ID not valid" },
  NUSPEC_NOT_FOUND: { level: "error", status: 400, title: "No manifest" },
  NUSPEC_MULTIPLE: { level: "error", status: 400, title: "Several manifests" },
  NUSPEC_INVALID_ENCODING: { level: "error", status: 400, title: "Manifest encoding not valid" },
  NUSPEC_INVALID_XML: { level: "error", status: 400, title: "Manifest not well-formed XML" },
  NUSPEC_DTD_FORBIDDEN: { level: "error", status: 400, title: "Manifest has a DTD" },
  NUSPEC_NOT_A_MANIFEST: { level: "error", status: 400, title: "Not a NuGet manifest" },
  NUSPEC_UNKNOWN_SCHEMA: { level: "error", status: 400, title: "Unknown manifest schema" },
  NUSPEC_MISSING_FIELD: { level: "error", status: 400, title: "Manifest field missing" },
  NUSPEC_DUPLICATE_FIELD: { level: "error", status: 400, title: "Manifest field repeated" },
  NUSPEC_INVALID_FIELD: { level: "error", status: 400, title: "Manifest field not valid" },
  NUSPEC_FIELD_TOO_LONG: { level: "error", status: 400, title: "Manifest field too long" },
  NUSPEC_INVALID_DEPENDENCY: { level: "error", status: 400, title: "Dependency not valid" },
  NUSPEC_URL_NOT_WEB: { level: "warning", title: "Manifest URL not a web address" },
  EMBEDDED_FILE_MISSING: { level: "error", status: 400, title: "Embedded file missing" },
  EMBEDDED_FILE_TYPE: { level: "error", status: 400, title: "Embedded file of the wrong type" },
  README_INVALID_ENCODING: { level: "error", status: 400, title: "Readme not text" },
  ZIP_INVALID: { level: "error", status: 400, title: "Not a readable zip" },
  ZIP64_UNSUPPORTED: { level: "error", status: 400, title: "Zip64 not supported" },
  ZIP_DUPLICATE_ENTRY: { level: "error", status: 400, title: "Duplicate zip entry" },
  ZIP_ENTRIES_DAMAGED: { level: "error", status: 400, title: "More damaged zip entries" },
  ZIP_ENTRY_CORRUPT: { level: "error", status: 400, title: "Zip entry damaged" },
  ZIP_ENTRY_CRC_MISMATCH: { level: "error", status: 400, title: "Zip entry checksum wrong" },
  ZIP_ENTRY_SIZE_MISMATCH: { level: "error", status: 400, title: "Zip entry size wrong" },
  ZIP_ENTRY_ENCRYPTED: { level: "error", status: 400, title: "Zip entry encrypted" },
  ZIP_ENTRY_UNSUPPORTED: { level: "error", status: 400, title: "Zip entry not supported" },
  ZIP_COMPRESSION_UNSUPPORTED: { level: "error", status: 400, title: "Zip compression not supported" },
  ZIP_ENTRY_TOO_LARGE: { level: "error", status: 413, title: "Zip entry too large unpacked" },
  ZIP_ENTRY_NAME_INVALID: { level: "error", status: 400, title: "Zip entry name not valid" },
  ZIP_ENTRY_NAME_TOO_LONG: { level: "error", status: 400, title: "Zip entry name too long" },
  ZIP_ENTRY_NAME_BIDI_CONTROL: { level: "error", status: 400, title: "Zip entry name with direction controls" },
  ZIP_ENTRY_NAME_STREAM: { level: "error", status: 400, title: "Zip entry name names a stream" },
  ZIP_ENTRY_NAME_RESERVED: { level: "error", status: 400, title: "Zip entry name reserved by Windows" },
  ZIP_ENTRY_PATH_TRAVERSAL: { level: "error", status: 400, title: "Zip entry outside the package" },
  ZIP_ENTRY_NAMES_INVALID: { level: "error", status: 400, title: "More unsafe zip entry names" },

  // Prefix reservations (admin)
  INVALID_RESERVATION_PATTERN: { level: "error", status: 400, title: "Reservation pattern not valid" },
  RESERVATION_EXISTS: { level: "error", status: 409, title: "Already reserved" },
  RESERVATION_CONFLICT: { level: "error", status: 409, title: "Reservation conflicts" },
  RESERVATION_NOT_FOUND: { level: "error", status: 404, title: "No such reservation" },

  // Repository signing (the gallery's countersignature at publish)
  REPOSITORY_SIGNING_UNSUPPORTED: { level: "error", status: 400, title: "Package cannot be repository signed" },
  REPOSITORY_SIGNING_FAILED: { level: "error", status: 400, title: "Package signature cannot be countersigned" },
  REPOSITORY_TIMESTAMP_FAILED: { level: "error", status: 503, title: "Timestamp authority failed" },
  REPOSITORY_SIGNING_CHANGED_CONTENT: { level: "error", status: 500, title: "Repository signing changed the content" },
  REPOSITORY_SIGNING_BROKE_SIGNATURE: { level: "error", status: 500, title: "Repository signing broke the signature" },
  REPOSITORY_SIGNATURE_INVALID: { level: "error", status: 500, title: "Repository signature not valid" },

  // Checking a copy of a package against the gallery (/api/verify)
  HASH_MISSING: { level: "error", status: 400, title: "No hash given" },
  HASH_INVALID: { level: "error", status: 400, title: "Hash not valid" },

  // Storage
  STORAGE_OBJECT_NOT_FOUND: { level: "error", status: 500, title: "Stored file missing" },
  INVALID_STORAGE_KEY: { level: "error", status: 500, title: "Storage name not valid" },

  // Publication log: the gallery's own endpoints
  LOG_ENTRY_NOT_FOUND: { level: "error", status: 404, title: "No such log entry" },
  LOG_SIZE_NOT_FOUND: { level: "error", status: 404, title: "Log not that large" },
  LOG_SIZES_INVALID: { level: "error", status: 400, title: "Log sizes out of order" },
  LOG_TILE_NOT_FOUND: { level: "error", status: 404, title: "No such log tile" },
  // Publication log: what a verifier or monitor finds when it checks a gallery's log
  LOG_URL_INVALID: { level: "error", status: 400, title: "Gallery URL not valid" },
  LOG_KEY_INVALID: { level: "error", status: 400, title: "Log key not usable" },
  LOG_UNREACHABLE: { level: "error", status: 502, title: "Log unreachable" },
  LOG_RESPONSE_TOO_LARGE: { level: "error", status: 502, title: "Log answer too large" },
  LOG_RESPONSE_INVALID: { level: "error", status: 502, title: "Log answer not valid" },
  LOG_CHECKPOINT_INVALID: { level: "error", status: 502, title: "Log checkpoint not valid" },
  LOG_PROOF_INVALID: { level: "error", status: 502, title: "Log proof not valid" },
  LOG_ENTRY_INVALID: { level: "error", status: 502, title: "Log entry not valid" },
  LOG_TILE_MISSING: { level: "error", status: 502, title: "Log tile missing" },
  LOG_TILE_INVALID: { level: "error", status: 502, title: "Log tile not valid" },
  LOG_NOT_LOGGED: { level: "error", status: 502, title: "Package not in the log" },
  LOG_DUPLICATE_PUBLICATION: { level: "error", status: 502, title: "Package published twice in the log" },
  LOG_FILE_MISMATCH: { level: "error", status: 502, title: "Package differs from the log" },
  VERSION_NOT_LOGGED: { level: "error", status: 500, title: "Version not in the log yet" },
  MONITOR_STATE_INVALID: { level: "error", status: 500, title: "Monitor state damaged" },

  // Dependency graphs (NuGet restore's codes, as the package page predicts them)
  DEPENDENCY_GRAPH_TOO_LARGE: { level: "error", status: 413, title: "Dependency graph too large" },
  DEPENDENCY_GRAPH_TOO_COMPLEX: { level: "error", status: 400, title: "Dependency graph too hard to resolve" },
  NU1100: { level: "error", status: 400, title: "Unable to resolve dependency" },
  NU1101: { level: "error", status: 400, title: "Unable to find package" },
  NU1102: { level: "error", status: 400, title: "Unable to find version" },
  NU1103: { level: "error", status: 400, title: "Only prerelease versions found" },
  NU1107: { level: "error", status: 400, title: "Version conflict" },
  NU1108: { level: "error", status: 400, title: "Dependency cycle" },
  NU1602: { level: "warning", title: "Dependency without lower bound" },
  NU1603: { level: "warning", title: "Approximate best match" },
  NU1604: { level: "warning", title: "Project reference without lower bound" },
  NU1605: { level: "error", status: 400, title: "Package downgrade" },

  // Package signatures (NuGet's client verification codes)
  NU3000: { level: "either", status: 400, title: "Signature not valid" },
  NU3003: { level: "either", status: 400, title: "Package signature not valid" },
  NU3004: { level: "either", status: 400, title: "Package not signed" },
  NU3005: { level: "either", status: 400, title: "Signature file not valid" },
  NU3006: { level: "either", status: 400, title: "Signed Zip64 package" },
  NU3007: { level: "either", status: 400, title: "Signature format version not supported" },
  NU3008: { level: "either", status: 400, title: "Package integrity check failed" },
  NU3009: { level: "either", status: 400, title: "Not exactly one primary signer" },
  NU3010: { level: "either", status: 400, title: "Signer certificate not included" },
  NU3011: { level: "either", status: 400, title: "Signature attributes not valid" },
  NU3012: { level: "either", status: 400, title: "Signature verification failed" },
  NU3013: { level: "either", status: 400, title: "Signing certificate's algorithm not supported" },
  NU3014: { level: "either", status: 400, title: "Signing certificate's key too small" },
  NU3015: { level: "either", status: 400, title: "Lifetime signing certificate" },
  NU3016: { level: "either", status: 400, title: "Package hash algorithm not supported" },
  NU3017: { level: "either", status: 400, title: "Signing certificate not yet valid" },
  NU3018: { level: "either", status: 400, title: "Signing chain not trusted" },
  NU3019: { level: "either", status: 400, title: "Timestamp imprint mismatch" },
  NU3020: { level: "either", status: 400, title: "Timestamp signer certificate missing" },
  NU3021: { level: "either", status: 400, title: "Timestamp not valid" },
  NU3022: { level: "either", status: 400, title: "Timestamp certificate's algorithm not supported" },
  NU3023: { level: "either", status: 400, title: "Timestamp certificate's key too small" },
  NU3024: { level: "either", status: 400, title: "Timestamp digest algorithm not supported" },
  NU3025: { level: "either", status: 400, title: "Timestamp certificate not yet valid" },
  NU3026: { level: "either", status: 400, title: "Timestamp response not valid" },
  NU3027: { level: "either", status: 400, title: "Signature not timestamped" },
  NU3028: { level: "either", status: 400, title: "Timestamp chain not trusted" },
  NU3029: { level: "either", status: 400, title: "Timestamp not trusted" },
  NU3030: { level: "either", status: 400, title: "Timestamp imprint algorithm not supported" },
  NU3031: { level: "either", status: 400, title: "Repository countersignature not valid" },
  NU3032: { level: "either", status: 400, title: "Several repository countersignatures" },
  NU3033: { level: "either", status: 400, title: "Repository signature countersigned" },
  NU3034: { level: "either", status: 400, title: "Signer not trusted" },
  NU3035: { level: "either", status: 400, title: "Countersignature chain not trusted" },
  NU3036: { level: "either", status: 400, title: "Timestamp outside its certificate's validity" },
  NU3037: { level: "either", status: 400, title: "Signing certificate expired" },
} as const satisfies Readonly<Record<string, IssueDefinition>>;

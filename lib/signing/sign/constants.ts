// Fixed choices of the gallery's repository signatures: SHA-256 throughout, as nuget.org signs.
export const SHA256_OID = "2.16.840.1.101.3.4.2.1";

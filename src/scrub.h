/* Documents for the trace, with secrets taken out by the shapes that carry
 * them, at any depth ("<redacted>" replaces a value):
 *  - a member whose name says secret (contains Password, Passwd, Pwd,
 *    Secret, Token, Credential or Key, any case): CredentialSpec,
 *    AccountKey, ...;
 *  - every value of an environment ("Environment" of ProcessParameters,
 *    "env" lists of "NAME=value" strings or {"name","value"} objects); the
 *    names stay;
 *  - the value of a name/value pair whose name says secret
 *    ({"Name":"DB_PASSWORD","Value":...}, RegistryValue's "StringValue");
 *  - secrets inside strings: "Password=x;" in connection strings,
 *    "--token=x", "--password x", "/password:x" in command lines, the
 *    password of "scheme://user:x@host" and a URL's "sig=x". */
#ifndef HCS_SRC_SCRUB_H
#define HCS_SRC_SCRUB_H

/* A scrubbed copy of json (malloc'ed), NULL for NULL input. Text that is
 * not JSON is not shown at all: "<not JSON, N bytes>". */
char *hcs__scrub(const char *json);

#endif

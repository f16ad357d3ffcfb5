/* Secrets out of traces (src/scrub.c): a table of real document shapes,
 * from hcs-api's schema documents (ProcessParameters, RegistryValue,
 * ContainerCredentialGuard requests) and from what common runtimes put in
 * theirs (OCI and Kubernetes environments, connection strings, registry
 * URLs, command lines). In each, the secret must go and the named neighbour
 * must stay, so a scrubber that hides everything fails too. */
#include "scrub.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct shape {
    const char *what;
    const char *doc;
    const char *secret; /* must be gone */
    const char *kept;   /* must still be there */
} shape;

static const shape shapes[] = {
    {"member named for a secret", "{\"User\":\"bob\",\"Password\":\"Zq7-hunter2\"}", "Zq7-hunter2", "bob"},
    {"nested credential spec",
     "{\"PropertyType\":\"ContainerCredentialGuard\",\"Settings\":{\"Operation\":\"AddInstance\","
     "\"OperationDetails\":{\"Id\":\"gmsa1\",\"CredentialSpec\":\"{\\\"DomainJoinConfig\\\":{\\\"Sid\\\":\\\"S-1-5-21-"
     "9\\\"}}\","
     "\"Transport\":\"LRPC\"}}}",
     "S-1-5-21-9", "gmsa1"},
    {"ProcessParameters environment",
     "{\"CommandLine\":\"app.exe\",\"Environment\":{\"DB_HOST\":\"db1\",\"DB_CONN\":\"Q8-opaque-value\"}}",
     "Q8-opaque-value", "DB_CONN"},
    {"OCI env list", "{\"process\":{\"env\":[\"PATH=/bin\",\"GITHUB_PAT=ghp_Xy12Ab\"],\"cwd\":\"/srv\"}}", "ghp_Xy12Ab",
     "GITHUB_PAT="},
    {"Kubernetes env list",
     "{\"containers\":[{\"name\":\"web\",\"env\":[{\"name\":\"SESSION_SALT\",\"value\":\"k8s-Salt-77\"}]}]}",
     "k8s-Salt-77", "SESSION_SALT"},
    {"name/value pair",
     "{\"Settings\":[{\"Name\":\"Password\",\"Value\":\"Pair-Secret-1\"},{\"Name\":\"Mode\",\"Value\":\"fast\"}]}",
     "Pair-Secret-1", "fast"},
    {"key/value pair", "{\"Annotations\":[{\"Key\":\"ApiToken\",\"Value\":\"tok-99-zz\"}]}", "tok-99-zz", "ApiToken"},
    {"lower-case pair", "{\"labels\":[{\"name\":\"db_password\",\"value\":\"lc-pass-3\"}]}", "lc-pass-3",
     "db_password"},
    {"RegistryValue",
     "{\"RegistryChanges\":{\"AddValues\":[{\"Key\":{\"Hive\":\"Software\",\"Name\":\"Winlogon\"},"
     "\"Name\":\"DefaultPassword\",\"Type\":\"String\",\"StringValue\":\"Reg-Pass-5\"}]}}",
     "Reg-Pass-5", "DefaultPassword"},
    {"SQL connection string", "{\"ConnectionString\":\"Server=db;User Id=sa;Password=Sql-Pass-8;Encrypt=true\"}",
     "Sql-Pass-8", "Encrypt=true"},
    {"connection string in a command line",
     "{\"CommandLine\":\"worker.exe --db \\\"Server=db;Pwd=Pwd-Short-1;\\\" --verbose\"}", "Pwd-Short-1", "--verbose"},
    {"storage account key", "{\"Args\":\"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=QUJDRA==;\"}",
     "QUJDRA==", "AccountName=acct"},
    {"option with =", "{\"CommandLine\":\"agent.exe --token=Tk-Eq-42 --port 80\"}", "Tk-Eq-42", "--port 80"},
    {"option with a space", "{\"CommandLine\":\"login.exe --password Sp-Pass-6 --user bob\"}", "Sp-Pass-6",
     "--user bob"},
    {"Windows option", "{\"CommandLine\":\"net.exe use /password:Win-Pass-2 /persistent:no\"}", "Win-Pass-2",
     "/persistent:no"},
    {"set in cmd", "{\"CommandLine\":\"cmd /c set ADMIN_PASSWORD=Set-Pass-4&& run.cmd\"}", "Set-Pass-4", "run.cmd"},
    {"URL with a password", "{\"Registry\":\"https://robot:Url-Pass-7@registry.example/v2\"}", "Url-Pass-7",
     "registry.example"},
    {"SAS URL", "{\"Source\":\"https://acct.blob.example/c/vhd?sv=2021&sig=Sas%2BSig9&se=2030\"}", "Sas%2BSig9",
     "se=2030"},
    {"array of documents", "[{\"Secret\":\"Arr-Sec-0\"},{\"Id\":\"keep-me\"}]", "Arr-Sec-0", "keep-me"},
    /* an identifier of 64 bytes or more (one used to be copied into a
     * 64-byte buffer and, too long for it, let through) */
    {"long option name",
     "{\"CommandLine\":\"svc.exe --the-primary-reporting-database-connection-for-nightly-jobs-password=Long-Id-5 "
     "--port 80\"}",
     "Long-Id-5", "--port 80"},
};

static void every_shape_loses_its_secret(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const shape *s = &shapes[i];
        assert_non_null(strstr(s->doc, s->secret)); /* the table itself is right */
        char *out = hcs__scrub(s->doc);
        assert_non_null(out);
        if (strstr(out, s->secret) || !strstr(out, s->kept) || !strstr(out, "<redacted>"))
            fail_msg("%s: %s", s->what, out);
        free(out);
    }
}

/* Documents without secrets come through unchanged (but compact). */
static void plain_documents_stay(void **state)
{
    (void)state;
    const char *plain = "{\"Owner\":\"demo\",\"CommandLine\":\"ping -n 3 127.0.0.1\",\"Signal\":\"CtrlC\","
                        "\"Env\":\"design\",\"Keyboard\":{}}";
    char *out = hcs__scrub(plain);
    assert_non_null(strstr(out, "ping -n 3 127.0.0.1"));
    assert_non_null(strstr(out, "CtrlC"));
    assert_null(strstr(out, "<redacted>"));
    free(out);
    out = hcs__scrub("not json Password=x");
    assert_string_equal(out, "<not JSON, 19 bytes>");
    free(out);
    assert_null(hcs__scrub(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_shape_loses_its_secret),
        cmocka_unit_test(plain_documents_stay),
    };
    return cmocka_run_group_tests_name("scrub", tests, NULL, NULL);
}

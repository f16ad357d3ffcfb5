/* A system's live migration events (hcs-newest §4.6) as libhcs delivers
 * them, kept in order as "Event/Result" words separated by single spaces
 * ("SetupDone TransferInProgress ... MigrationDone/Success"), for the tests
 * that migrate through libhcs. Give lm_journal_on_event as the system's
 * event callback with the journal as its user data. */
#ifndef HCSKIT_TESTS_LM_JOURNAL_H
#define HCSKIT_TESTS_LM_JOURNAL_H

#include "platform/thread.h"

#include <hcs/system.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct lm_journal {
    hcs_mutex mu;
    hcs_cond cv;
    char words[2048];
    int events;
    /* Optionally, the system the callback closes on the event that starts
     * with close_on, once (a close from inside a callback, event.h). */
    const char *close_on;
    hcs_system to_close;
    bool closed;
} lm_journal;

static inline void lm_journal_init(lm_journal *j)
{
    memset(j, 0, sizeof *j);
    hcs__mutex_init(&j->mu);
    hcs__cond_init(&j->cv);
}

static inline void lm_journal_free(lm_journal *j)
{
    hcs__cond_destroy(&j->cv);
    hcs__mutex_destroy(&j->mu);
}

static inline void lm_journal_on_event(const hcs_event *e, void *user)
{
    lm_journal *j = user;
    const char *event = e->type == HCS_EVENT_LIVE_MIGRATION && e->data ? strstr(e->data, "\"Event\":\"") : NULL;
    if (!event)
        return;
    const char *result = strstr(e->data, "\"Result\":\"");
    char word[96];
    snprintf(word, sizeof word, "%.*s%s%.*s", (int)strcspn(event + 9, "\""), event + 9, result ? "/" : "",
             result ? (int)strcspn(result + 10, "\"") : 0, result ? result + 10 : "");
    hcs__mutex_lock(&j->mu);
    size_t used = strlen(j->words);
    snprintf(j->words + used, sizeof j->words - used, "%s%s", used ? " " : "", word);
    j->events++;
    bool close_now = j->close_on && !j->closed && strncmp(word, j->close_on, strlen(j->close_on)) == 0;
    j->closed = j->closed || close_now;
    hcs__cond_broadcast(&j->cv);
    hcs__mutex_unlock(&j->mu);
    if (close_now)
        hcs_system_close(j->to_close);
}

/* Waits (a 10 s hang guard) until the journal holds `word`; copies what it
 * holds then into out when out is not NULL. */
static inline bool lm_journal_wait(lm_journal *j, const char *word, char *out, size_t size)
{
    uint64_t deadline = hcs__clock_ms() + 10000;
    hcs__mutex_lock(&j->mu);
    while (!strstr(j->words, word) && hcs__cond_wait_until(&j->cv, &j->mu, deadline)) {
    }
    bool has = strstr(j->words, word) != NULL;
    if (out && size) { /* what fits (a caller's buffer may be shorter) */
        size_t n = strnlen(j->words, size - 1);
        memcpy(out, j->words, n);
        out[n] = 0;
    }
    hcs__mutex_unlock(&j->mu);
    return has;
}

#endif

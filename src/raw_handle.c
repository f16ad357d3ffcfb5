/* Owned HCS handles and their users (see raw_handle.h). */
#include "raw_handle.h"

void raw_handle_init(raw_handle *r, void *value)
{
    hcs_mutex_init(&r->mu);
    hcs_cond_init(&r->idle);
    r->value = value;
    r->owned = true;
    r->users = 0;
}

void raw_handle_destroy(raw_handle *r)
{
    hcs_cond_destroy(&r->idle);
    hcs_mutex_destroy(&r->mu);
}

void *raw_handle_begin(raw_handle *r)
{
    hcs_mutex_lock(&r->mu);
    void *value = r->owned ? r->value : NULL;
    if (value)
        r->users++;
    hcs_mutex_unlock(&r->mu);
    return value;
}

void raw_handle_end(raw_handle *r)
{
    hcs_mutex_lock(&r->mu);
    if (--r->users == 0)
        hcs_cond_broadcast(&r->idle);
    hcs_mutex_unlock(&r->mu);
}

void *raw_handle_detach(raw_handle *r)
{
    hcs_mutex_lock(&r->mu);
    void *value = r->owned ? r->value : NULL;
    r->owned = false; /* no new users from here on */
    while (r->users > 0)
        hcs_cond_wait(&r->idle, &r->mu);
    hcs_mutex_unlock(&r->mu);
    return value;
}

void *raw_handle_owned(raw_handle *r)
{
    hcs_mutex_lock(&r->mu);
    void *value = r->owned ? r->value : NULL;
    hcs_mutex_unlock(&r->mu);
    return value;
}

/* Owned HCS handles and their users (see raw_handle.h). */
#include "raw_handle.h"

void hcs__raw_handle_init(raw_handle *r, void *value)
{
    hcs__mutex_init(&r->mu);
    hcs__cond_init(&r->idle);
    r->value = value;
    r->owned = true;
    r->users = 0;
}

void hcs__raw_handle_destroy(raw_handle *r)
{
    hcs__cond_destroy(&r->idle);
    hcs__mutex_destroy(&r->mu);
}

void *hcs__raw_handle_begin(raw_handle *r)
{
    hcs__mutex_lock(&r->mu);
    void *value = r->owned ? r->value : NULL;
    if (value)
        r->users++;
    hcs__mutex_unlock(&r->mu);
    return value;
}

void hcs__raw_handle_end(raw_handle *r)
{
    hcs__mutex_lock(&r->mu);
    if (--r->users == 0)
        hcs__cond_broadcast(&r->idle);
    hcs__mutex_unlock(&r->mu);
}

void *hcs__raw_handle_detach(raw_handle *r)
{
    hcs__mutex_lock(&r->mu);
    void *value = r->owned ? r->value : NULL;
    r->owned = false; /* no new users from here on */
    while (r->users > 0)
        hcs__cond_wait(&r->idle, &r->mu);
    hcs__mutex_unlock(&r->mu);
    return value;
}

void *hcs__raw_handle_owned(raw_handle *r)
{
    hcs__mutex_lock(&r->mu);
    void *value = r->owned ? r->value : NULL;
    hcs__mutex_unlock(&r->mu);
    return value;
}

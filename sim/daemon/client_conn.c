/* The client provider's connection to hcssimd (client_internal.h): making
 * it (HELLO, WELCOME), the reader thread that takes every frame the daemon
 * sends, requests waiting for their REPLY, and the loss of the connection,
 * which is HCS's service disconnect (docs/hcssimd.md, "Disconnects"). */
#include "client_internal.h"

#include "platform/os_pipe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static client_state state;
static hcs_once state_once = HCS_ONCE_INIT;

static void init_state(void)
{
    hcs__mutex_init(&state.mu);
    hcs__mutex_init(&state.connect_mu);
    hcs__table_init(&state.objects);
}

client_state *hcssim__client_state(void)
{
    hcs__call_once(&state_once, init_state);
    return &state;
}

static void destroy_conn(hcs_object *o)
{
    client_conn *c = (client_conn *)o;
    hcssim__transport_close(c->io);
    hcs__mutex_destroy(&c->write_mu);
    free(c->exports);
    free(c);
}

void hcssim__client_conn_release(client_conn *c)
{
    if (c)
        hcs_object_release(&c->base);
}

bool hcssim__client_conn_dead(client_conn *c)
{
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    bool dead = c->dead;
    hcs__mutex_unlock(&s->mu);
    return dead;
}

/* Reads one frame (header, payload, handles) into a malloc'ed buffer and
 * decodes it. Returns 0, or -1 (handles received are closed). */
static int read_frame(wire_conn *io, uint8_t **frame, wire_msg *m, wire_handle handles[WIRE_MAX_HANDLES], unsigned *n)
{
    *frame = NULL;
    *n = 0;
    uint8_t head[WIRE_HEADER_SIZE];
    wire_header h;
    if (hcssim__transport_recv(io, head, sizeof head, handles, n, WIRE_MAX_HANDLES) != 0 ||
        hcssim__wire_decode_header(head, &h) != WIRE_OK)
        goto fail;
    *frame = malloc(WIRE_HEADER_SIZE + (size_t)h.length);
    if (!*frame)
        goto fail;
    memcpy(*frame, head, sizeof head);
    if (hcssim__transport_recv(io, *frame + WIRE_HEADER_SIZE, h.length, handles, n, WIRE_MAX_HANDLES) != 0 ||
        hcssim__wire_decode(*frame, WIRE_HEADER_SIZE + (size_t)h.length, m) != WIRE_OK || m->h.handles != *n)
        goto fail;
    return 0;
fail:
    for (unsigned i = 0; i < *n; i++)
        hcssim__transport_close_handle(handles[i]);
    *n = 0;
    free(*frame);
    *frame = NULL;
    return -1;
}

/* The connection is lost: requests waiting fail, and the objects made on
 * it learn of it. */
static void lost(client_conn *c)
{
    client_state *s = hcssim__client_state();
    hcssim__transport_shutdown(c->io);
    hcs__mutex_lock(&s->mu);
    c->dead = true;
    for (client_pending *p = c->waiting; p; p = p->next) {
        p->done = true;
        hcs__cond_broadcast(&p->cv);
    }
    c->waiting = NULL;
    client_conn *was = s->current == c ? c : NULL;
    if (was)
        s->current = NULL;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_conn_release(was);
    hcssim__client_on_lost(c);
}

static void reader(void *arg)
{
    client_conn *c = arg;
    client_state *s = hcssim__client_state();
    for (;;) {
        uint8_t *frame;
        wire_msg m;
        wire_handle handles[WIRE_MAX_HANDLES];
        unsigned n;
        if (read_frame(c->io, &frame, &m, handles, &n) != 0)
            break;
        if (m.h.type == WIRE_REPLY) {
            hcs__mutex_lock(&s->mu);
            client_pending **at = &c->waiting;
            while (*at && (*at)->request != m.h.request)
                at = &(*at)->next;
            client_pending *p = *at;
            if (p) {
                *at = p->next;
                p->frame = frame;
                p->msg = m;
                p->done = true;
                hcs__cond_broadcast(&p->cv);
            }
            hcs__mutex_unlock(&s->mu);
            if (!p) {
                free(frame); /* answers nothing asked: the daemon broke the protocol */
                break;
            }
        } else if (m.h.type == WIRE_COMPLETE) {
            hcssim__client_on_complete(c, &m, handles, n);
            free(frame);
        } else if (m.h.type == WIRE_EVENT) {
            hcssim__client_on_event(c, &m);
            free(frame);
        } else {
            free(frame);
            break;
        }
    }
    lost(c);
    hcssim__client_conn_release(c);
}

/* A new connection: HELLO, then WELCOME (or REFUSED), then the reader. */
static client_conn *connect_new(char *why, size_t why_size)
{
    char path[1024];
    if (hcssim__transport_default_path(path, sizeof path, why, why_size) != 0)
        return NULL;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    snprintf(s->path, sizeof s->path, "%s", path);
    hcs__mutex_unlock(&s->mu);
    wire_conn *io;
    if (hcssim__transport_connect(path, &io, why, why_size) != 0)
        return NULL;
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_HELLO, 1);
    hcssim__wire_u64(&b, hcssim__transport_own_pid());
    hcssim__wire_u64(&b, 0);
    uint8_t *frame = NULL;
    wire_msg m;
    wire_handle handles[WIRE_MAX_HANDLES];
    unsigned n;
    int rc = hcssim__wire_end(&b, 0) == 0 ? hcssim__transport_send(io, b.data, b.len, NULL, 0) : -1;
    hcssim__wire_free(&b);
    if (rc == 0)
        rc = read_frame(io, &frame, &m, handles, &n);
    client_conn *c = NULL;
    if (rc != 0) {
        snprintf(why, why_size, "hcssimd at %s did not answer as hcssimd protocol %d", path, WIRE_VERSION);
    } else if (m.h.type == WIRE_REFUSED) {
        snprintf(why, why_size, "hcssimd at %s refused this client: %.*s", path, (int)m.v[1].count,
                 (const char *)m.v[1].bytes);
    } else if (m.h.type != WIRE_WELCOME || m.v[1].count >= sizeof c->profile) {
        snprintf(why, why_size, "hcssimd at %s answered with something else than WELCOME", path);
    } else if ((c = calloc(1, sizeof *c)) == NULL || (c->exports = malloc((size_t)m.v[2].count + 3)) == NULL) {
        free(c);
        c = NULL;
        snprintf(why, why_size, "out of memory");
    } else {
        hcs_object_init(&c->base, destroy_conn);
        hcs__mutex_init(&c->write_mu);
        atomic_init(&c->next_request, 2);
        c->io = io;
        /* The daemon's process, where the OS does not tell it (Wine): a
         * live migration socket is shared with it (transport.h). */
        hcssim__transport_set_peer_pid(io, m.v[0].u);
        memcpy(c->profile, m.v[1].bytes, m.v[1].count);
        c->profile[m.v[1].count] = 0;
        /* ",A,B," so that a name is found as ",name," */
        c->exports[0] = ',';
        memcpy(c->exports + 1, m.v[2].bytes, m.v[2].count);
        c->exports[m.v[2].count + 1] = ',';
        c->exports[m.v[2].count + 2] = 0;
    }
    free(frame);
    if (!c) {
        hcssim__transport_close(io);
        return NULL;
    }
    hcs_object_retain(&c->base); /* the reader's */
    hcs_thread t;
    if (hcs__thread_start(&t, reader, c) != 0) {
        snprintf(why, why_size, "cannot start a thread");
        hcs_object_release(&c->base);
        hcs_object_release(&c->base);
        return NULL;
    }
    hcs__thread_detach(t);
    return c;
}

static client_conn *get(char *why, size_t why_size)
{
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->connect_mu);
    hcs__mutex_lock(&s->mu);
    client_conn *c = s->current;
    if (c && !c->dead)
        hcs_object_retain(&c->base);
    else
        c = NULL;
    hcs__mutex_unlock(&s->mu);
    if (!c) {
        c = connect_new(why, why_size);
        if (c) {
            hcs_object_retain(&c->base);
            hcs__mutex_lock(&s->mu);
            client_conn *old = s->current;
            s->current = c->dead ? NULL : c;
            if (c->dead)
                hcs_object_release(&c->base);
            hcs__mutex_unlock(&s->mu);
            hcssim__client_conn_release(old);
        }
    }
    hcs__mutex_unlock(&s->connect_mu);
    return c;
}

client_conn *hcssim__client_conn_get(void)
{
    char why[512];
    return get(why, sizeof why);
}

int hcssim__client_connect(char *why, size_t why_size)
{
    client_conn *c = get(why, why_size);
    hcssim__client_conn_release(c);
    return c ? 0 : -1;
}

const char *hcssim__client_socket_path(void)
{
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    if (!s->path[0]) {
        char why[256];
        if (hcssim__transport_default_path(s->path, sizeof s->path, why, sizeof why) != 0)
            s->path[0] = 0;
    }
    hcs__mutex_unlock(&s->mu);
    return s->path;
}

int hcssim__client_request(client_conn *c, wire_buf *b, const char *reply_signature, client_pending *p)
{
    return hcssim__client_request_with(c, b, -1, reply_signature, p);
}

int hcssim__client_request_with(client_conn *c, wire_buf *b, wire_handle handle, const char *reply_signature,
                                client_pending *p)
{
    client_state *s = hcssim__client_state();
    memset(p, 0, sizeof *p);
    p->request = atomic_fetch_add(&c->next_request, 1);
    hcssim__wire_set_request(b, p->request);
    unsigned n = handle >= 0 ? 1u : 0u;
    if (hcssim__wire_end(b, n) != 0)
        return -1;
    hcs__cond_init(&p->cv);
    hcs__mutex_lock(&s->mu);
    bool dead = c->dead;
    if (!dead) {
        p->next = c->waiting;
        c->waiting = p;
    }
    hcs__mutex_unlock(&s->mu);
    if (!dead) {
        hcs__mutex_lock(&c->write_mu);
        int rc = hcssim__transport_send(c->io, b->data, b->len, n ? &handle : NULL, n);
        hcs__mutex_unlock(&c->write_mu);
        if (rc != 0)
            hcssim__transport_shutdown(c->io); /* the reader sees it and fails every request */
        hcs__mutex_lock(&s->mu);
        while (!p->done)
            hcs__cond_wait(&p->cv, &s->mu);
        hcs__mutex_unlock(&s->mu);
    }
    hcssim__wire_free(b);
    if (p->frame && !hcssim__wire_expect(&p->msg, 0, reply_signature)) {
        hcssim__transport_shutdown(c->io); /* a reply that is not one: the daemon cannot be trusted */
        free(p->frame);
        p->frame = NULL;
    }
    if (!p->frame) {
        hcs__cond_destroy(&p->cv);
        return -1;
    }
    return 0;
}

void hcssim__client_pending_done(client_pending *p)
{
    free(p->frame);
    p->frame = NULL;
    hcs__cond_destroy(&p->cv);
}

void hcssim__client_send(client_conn *c, wire_buf *b)
{
    if (hcssim__wire_end(b, 0) == 0 && !hcssim__client_conn_dead(c)) {
        hcs__mutex_lock(&c->write_mu);
        hcssim__transport_send(c->io, b->data, b->len, NULL, 0);
        hcs__mutex_unlock(&c->write_mu);
    }
    hcssim__wire_free(b);
}

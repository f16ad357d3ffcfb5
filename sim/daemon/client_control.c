/* hcssim.h's functions in libhcssim-client: the same control API as
 * libhcssim's, sent to the simulator in hcssimd (CONTROL frames), so a
 * program (or a test) that steers the simulator in process steers the
 * daemon's the same way. They act on the whole daemon: a fault plan or a
 * latency set here applies to every client. */
#include "client_internal.h"

#include "hcssim/hcssim.h"

#include <stdio.h>
#include <string.h>

void (*hcssim_proc_address(const char *name))(void) { return hcssim__client_function(name); }

/* Sends a CONTROL frame; 0 with the reply in *p, or -1 when there is no
 * daemon to ask. */
static int control(wire_buf *b, const char *reply_signature, client_pending *p)
{
    client_conn *c = hcssim__client_conn_get();
    if (!c) {
        hcssim__wire_free(b);
        return -1;
    }
    int rc = hcssim__client_request(c, b, reply_signature, p);
    hcssim__client_conn_release(c);
    return rc;
}

static void begin(wire_buf *b, wire_control fn)
{
    hcssim__wire_begin(b, WIRE_CONTROL, 0);
    hcssim__wire_u64(b, (uint64_t)fn);
}

/* A control call answered by an int. */
static int answer_int(wire_buf *b)
{
    client_pending p;
    if (control(b, "u", &p) != 0)
        return -1;
    int rc = (int)(int64_t)p.msg.v[0].u;
    hcssim__client_pending_done(&p);
    return rc;
}

int hcssim_set_latency(const char *function, unsigned ms)
{
    wire_buf b;
    begin(&b, WIRE_CTL_set_latency);
    hcssim__wire_utf8(&b, function);
    hcssim__wire_u64(&b, ms);
    return answer_int(&b);
}

int hcssim_set_faults(const char *json, char *error, size_t error_size)
{
    wire_buf b;
    begin(&b, WIRE_CTL_set_faults);
    hcssim__wire_utf8(&b, json && json[0] ? json : NULL);
    client_pending p;
    if (control(&b, "uA", &p) != 0) {
        if (error_size)
            snprintf(error, error_size, "hcssimd cannot be reached at %s", hcssim__client_socket_path());
        return -1;
    }
    int rc = (int)(int64_t)p.msg.v[0].u;
    if (error_size)
        snprintf(error, error_size, "%.*s", p.msg.v[1].tag == 'a' ? (int)p.msg.v[1].count : 0,
                 p.msg.v[1].tag == 'a' ? (const char *)p.msg.v[1].bytes : "");
    hcssim__client_pending_done(&p);
    return rc;
}

int hcssim_set_behaviour(const char *name, const char *value)
{
    if (!name || !value)
        return -1;
    wire_buf b;
    begin(&b, WIRE_CTL_set_behaviour);
    hcssim__wire_utf8(&b, name);
    hcssim__wire_utf8(&b, value);
    return answer_int(&b);
}

void hcssim_disconnect_service(void)
{
    wire_buf b;
    begin(&b, WIRE_CTL_disconnect_service);
    answer_int(&b);
}

void hcssim_restore_service(void)
{
    wire_buf b;
    begin(&b, WIRE_CTL_restore_service);
    answer_int(&b);
}

void hcssim_get_counts(hcssim_counts *out)
{
    memset(out, 0, sizeof *out);
    wire_buf b;
    begin(&b, WIRE_CTL_get_all_counts); /* every field, as the simulator fills them */
    client_pending p;
    if (control(&b, "uuuuuuu", &p) != 0)
        return;
    out->handles = (unsigned)p.msg.v[0].u;
    out->handle_slots = (unsigned)p.msg.v[1].u;
    out->systems = (unsigned)p.msg.v[2].u;
    out->processes = (unsigned)p.msg.v[3].u;
    out->operations = (unsigned)p.msg.v[4].u;
    out->requests = (unsigned)p.msg.v[5].u;
    hcssim__client_pending_done(&p);
}

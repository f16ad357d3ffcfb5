/* hcsctl's commands and exit codes. */
#ifndef HCSCTL_COMMANDS_H
#define HCSCTL_COMMANDS_H

enum {
    HCSCTL_EXIT_OK = 0,
    HCSCTL_EXIT_FAILURE = 1, /* an HCS call failed */
    HCSCTL_EXIT_USAGE = 2,   /* bad command line */
};

typedef struct hcsctl_command {
    const char *name;
    const char *help;
    int (*run)(int argc, char **argv);
} hcsctl_command;

int hcsctl_demo(int argc, char **argv);
int hcsctl_list(int argc, char **argv);

#endif

#include "CLineEditShim.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>
#include <unistd.h>
#include <wchar.h>

static volatile sig_atomic_t interrupted = 0;
static char *prompt_text = NULL;
static void *client_data = NULL;

int mgl_setup_locale(void) {
    setlocale(LC_CTYPE, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL || (strcasecmp(codeset, "UTF-8") != 0 && strcasecmp(codeset, "utf8") != 0)) {
        if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) setlocale(LC_CTYPE, "C.utf8");
        codeset = nl_langinfo(CODESET);
    }
    return codeset != NULL && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0);
}

static void on_sigint(int signal_number) {
    (void)signal_number;
    interrupted = 1;
}

void mgl_install_sigint_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: el_gets must return on Ctrl-C
    sigaction(SIGINT, &action, NULL);
    // A parent (a test runner, a job control wrapper) may have left SIGINT blocked; an analyst's Ctrl-C must arrive.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int mgl_take_interrupt(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}

int mgl_interrupt_pending(void) { return interrupted; }

/* libedit's character reader, replaced so that a Ctrl-C is honoured wherever it lands. libedit's own reader only
 * sees one that interrupts its blocking read(); one that arrives while it is busy between reads (redrawing a line
 * typed fast, on a loaded machine) set the flag and was then lost: the read blocked, and the cancelled line came
 * back with whatever was typed next. Here the flag is checked with SIGINT blocked, and pselect lets SIGINT in only
 * while it waits, so no Ctrl-C falls between the check and the wait. Bytes are decoded in the locale's encoding as
 * libedit does: an invalid byte is dropped, an invalid sequence is dropped up to its last byte, which starts anew. */
int mgl_read_character(int fd, wchar_t *out) {
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    sigset_t blocked, previous;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    for (;;) {
        sigprocmask(SIG_BLOCK, &blocked, &previous);
        if (interrupted) {
            sigprocmask(SIG_SETMASK, &previous, NULL);
            *out = L'\0';
            errno = EINTR;
            return -1;
        }
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        sigset_t waiting = previous;
        sigdelset(&waiting, SIGINT);
        int ready = pselect(fd + 1, &readable, NULL, NULL, NULL, &waiting);
        int wait_error = errno;
        sigprocmask(SIG_SETMASK, &previous, NULL);
        if (ready < 0) {
            if (wait_error == EINTR) continue;  // the flag is checked again above
            *out = L'\0';
            errno = wait_error;
            return -1;
        }
        char byte;
        ssize_t got = read(fd, &byte, 1);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            *out = L'\0';
            return -1;
        }
        if (got == 0) {
            *out = L'\0';
            return 0;
        }
        bytes[count++] = byte;
        for (;;) {
            // The bytes so far are decoded whole each time, from a fresh state: a state that had taken the
            // first bytes of a sequence would take them twice.
            wchar_t character;
            mbstate_t state;
            memset(&state, 0, sizeof state);
            size_t used = mbrtowc(&character, bytes, count, &state);
            if (used == (size_t)-2) {
                if (count == MB_LEN_MAX) count = 0;  // too long to be a character: dropped
                break;  // incomplete: read another byte
            }
            if (used == (size_t)-1) {
                if (count > 1) {
                    bytes[0] = bytes[count - 1];
                    count = 1;
                    continue;
                }
                count = 0;
                break;
            }
            *out = character;
            return 1;
        }
    }
}

static int read_character(EditLine *editor, wchar_t *out) {
    (void)editor;
    return mgl_read_character(STDIN_FILENO, out);
}

static char *prompt_function(EditLine *editor) {
    (void)editor;
    return prompt_text != NULL ? prompt_text : "";
}

EditLine *mgl_el_init(const char *program) {
    EditLine *editor = el_init(program, stdin, stdout, stderr);
    if (editor != NULL) {
        el_set(editor, EL_PROMPT, prompt_function);
        el_set(editor, EL_SIGNAL, 0);
        el_set(editor, EL_GETCFN, read_character);
    }
    return editor;
}

void mgl_el_end(EditLine *editor) { el_end(editor); }

void mgl_el_set_prompt(EditLine *editor, const char *prompt) {
    (void)editor;
    free(prompt_text);
    prompt_text = strdup(prompt);
}

void mgl_el_set_editor(EditLine *editor, const char *mode) { el_set(editor, EL_EDITOR, mode); }

void mgl_el_set_history(EditLine *editor, History *hist) { el_set(editor, EL_HIST, history, hist); }

void mgl_el_set_clientdata(EditLine *editor, void *data) {
    client_data = data;
    el_set(editor, EL_CLIENTDATA, data);
}

void *mgl_el_get_clientdata(EditLine *editor) {
    void *data = NULL;
    if (el_get(editor, EL_CLIENTDATA, &data) != 0 || data == NULL) return client_data;
    return data;
}

void mgl_el_add_function(EditLine *editor, const char *name, const char *help, unsigned char (*function)(EditLine *, int)) {
    el_set(editor, EL_ADDFN, name, help, function);
}

void mgl_el_bind(EditLine *editor, const char *key, const char *function) {
    el_set(editor, EL_BIND, key, function, NULL);
}

const char *mgl_el_gets(EditLine *editor, int *count) { return el_gets(editor, count); }

History *mgl_history_init(int size) {
    History *hist = history_init();
    if (hist == NULL) return NULL;
    HistEvent event;
    history(hist, &event, H_SETSIZE, size);
    history(hist, &event, H_SETUNIQUE, 1);
    return hist;
}

void mgl_history_end(History *hist) { history_end(hist); }

int mgl_history_enter(History *hist, const char *line) {
    HistEvent event;
    return history(hist, &event, H_ENTER, line);
}

int mgl_history_load(History *hist, const char *path) {
    HistEvent event;
    return history(hist, &event, H_LOAD, path);
}

int mgl_history_save(History *hist, const char *path) {
    HistEvent event;
    return history(hist, &event, H_SAVE, path);
}

void mgl_history_each(History *hist, void (*visit)(const char *, void *), void *context) {
    HistEvent event;
    if (history(hist, &event, H_LAST) != 0) return;
    do {
        visit(event.str, context);
    } while (history(hist, &event, H_PREV) == 0);
}

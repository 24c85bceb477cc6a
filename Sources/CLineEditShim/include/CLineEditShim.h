#ifndef CLINEEDITSHIM_H
#define CLINEEDITSHIM_H

// Fixed-signature wrappers around libedit's variadic el_set/el_get/history calls, which Swift cannot call,
// plus the SIGINT and locale set-up an interactive reader needs.

#include <stdio.h>
#include <histedit.h>

/// Sets LC_CTYPE from the environment and falls back to C.UTF-8 when the codeset is not UTF-8, so libedit
/// accepts non-ASCII keystrokes. Returns 1 when the resulting codeset is UTF-8.
int mgl_setup_locale(void);

/// Installs a SIGINT handler without SA_RESTART, so a blocked read returns EINTR and Ctrl-C can cancel a line.
void mgl_install_sigint_handler(void);
/// Returns 1 and clears the flag if SIGINT arrived since the last call.
int mgl_take_interrupt(void);
/// Returns 1 if SIGINT arrived since the last mgl_take_interrupt, without clearing it.
int mgl_interrupt_pending(void);

/// The editor's character reader: one character from fd, decoded in the locale's encoding, into *out. Returns 1
/// for a character, 0 at end of input, -1 on an error or when a Ctrl-C is pending (checked before every wait, so
/// one that arrived while the editor was busy between reads still cancels the line).
int mgl_read_character(int fd, wchar_t *out);
EditLine *mgl_el_init(const char *program);
void mgl_el_end(EditLine *editor);
/// Sets the prompt text (copied).
void mgl_el_set_prompt(EditLine *editor, const char *prompt);
void mgl_el_set_editor(EditLine *editor, const char *mode);
void mgl_el_set_history(EditLine *editor, History *hist);
void mgl_el_set_clientdata(EditLine *editor, void *data);
void *mgl_el_get_clientdata(EditLine *editor);
void mgl_el_add_function(EditLine *editor, const char *name, const char *help, unsigned char (*function)(EditLine *, int));
void mgl_el_bind(EditLine *editor, const char *key, const char *function);
/// Reads one line; *count receives el_gets' count (-1 on error or interrupt, 0 at end of input).
const char *mgl_el_gets(EditLine *editor, int *count);

History *mgl_history_init(int size);
void mgl_history_end(History *hist);
int mgl_history_enter(History *hist, const char *line);
int mgl_history_load(History *hist, const char *path);
int mgl_history_save(History *hist, const char *path);
/// Calls visit(line, context) for each entry from oldest to newest.
void mgl_history_each(History *hist, void (*visit)(const char *, void *), void *context);

#endif

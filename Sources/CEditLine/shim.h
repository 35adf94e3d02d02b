#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H
#include <stdio.h>
#include <string.h>
#include <editline/readline.h>   /* libedit's readline-compatible API (never GNU <readline/readline.h>) */

/*
 * libedit's readline API is driven by C globals. Swift 6 rejects direct references to
 * mutable C globals ("not concurrency-safe"), so every read/write goes through these
 * static inline wrappers, compiled by the Clang importer (no C target needed).
 */

/* --- setters --- */
static inline void rlw_set_completer(rl_completion_func_t *fn) { rl_attempted_completion_function = fn; }
static inline void rlw_set_completion_over(int over) { rl_attempted_completion_over = over; }
/* `stable_name` must stay valid for the life of the process (strdup it). */
static inline void rlw_set_name(const char *stable_name) { rl_readline_name = stable_name; }
/* Character appended after a single completion; 0 = none. */
static inline void rlw_set_completion_append_character(int c) { rl_completion_append_character = c; }
/* Word-break characters used by completion; `stable_chars` must stay valid (strdup it). */
static inline void rlw_set_word_break_characters(const char *stable_chars) {
    rl_basic_word_break_characters = stable_chars;
    rl_completer_word_break_characters = (char *)stable_chars;
}
static inline void rlw_set_completion_query_items(int n) { rl_completion_query_items = n; }

/* --- getters (valid inside a completion callback) --- */
/* The whole edit buffer (NUL-terminated; may be NULL before the first readline()). */
static inline const char *rlw_line_buffer(void) { return rl_line_buffer; }
/* Cursor offset in bytes into rlw_line_buffer(). */
static inline int rlw_point(void) { return rl_point; }
static inline int rlw_end(void) { return rl_end; }
static inline int rlw_history_length(void) { return history_length; }
#endif

#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>

/*
 * Swift cannot import SQLITE_TRANSIENT (a cast macro) nor call the variadic
 * sqlite3_db_config, so these static inline wrappers (compiled by the Clang importer,
 * no C target needed) expose exactly what ChainStore uses.
 */

/* Binds a copy of `n` bytes. A zero-length array binds a zero-length BLOB, never NULL
   (sqlite3_bind_blob with a NULL pointer would bind SQL NULL). */
static inline int csqlite_bind_blob(sqlite3_stmt *stmt, int index, const void *bytes, int n) {
    if (n == 0 || bytes == 0) return sqlite3_bind_zeroblob(stmt, index, 0);
    return sqlite3_bind_blob(stmt, index, bytes, n, SQLITE_TRANSIENT);
}

/* Binds a copy of a NUL-terminated UTF-8 string. */
static inline int csqlite_bind_text(sqlite3_stmt *stmt, int index, const char *text) {
    return sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* SQLITE_DBCONFIG_DEFENSIVE: forbids writable_schema and other ways SQL could corrupt the file. */
static inline int csqlite_enable_defensive(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
}
#endif

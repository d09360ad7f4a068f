/* Internals of the SQLite store that tests and diagnostics may look at. */
#ifndef PGAL_STORE_SQLITE_H
#define PGAL_STORE_SQLITE_H

#include <sqlite3.h>

#include "store/store.h"

/* The handle behind a store opened with pgal_store_sqlite, else NULL. Only
 * for inspection (query plans, statement counters); do not write through it. */
sqlite3 *pgal_store_sqlite_db(pgal_store *s);

#endif

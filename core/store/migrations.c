/* What the SQL stores need to know about their compiled-in migrations
 * beyond applying them in order. */
#include "store/migrations.h"

int
pgal_migrations_newest(const pgal_migration *m)
{
	int v = 0;

	for (; m->sql != NULL; m++)
		if (m->version > v)
			v = m->version;
	return v;
}

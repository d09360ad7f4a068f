/* The SSH spool's room on its file system (sshd/spool.c, compiled in here:
 * the unit tests link the core library only): the free space less a
 * reserve of 5 % of the file system, at most 1 GiB. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../sshd/spool.c"

#define GIB (UINT64_C(1) << 30)
#define MIB (UINT64_C(1) << 20)

static void
big_disk_keeps_one_gib(void **state)
{
	/* 5 % of 100 GiB is 5 GiB: the reserve stops at 1 GiB */
	assert_int_equal(sshd_spool_room_of(10 * GIB, 100 * GIB), (int64_t)(9 * GIB));
	assert_int_equal(sshd_spool_room_of(GIB + 1, 1000 * GIB), 1);
	assert_int_equal(sshd_spool_room_of(GIB, 1000 * GIB), 0);
}

static void
small_disk_keeps_five_percent(void **state)
{
	/* 8 GiB: the reserve is 8 GiB / 20 = 429496729 bytes (under 1 GiB) */
	assert_int_equal(sshd_spool_room_of(GIB, 8 * GIB), (int64_t)(GIB - 429496729));
	/* exactly 20 GiB: 5 % is 1 GiB, both rules agree */
	assert_int_equal(sshd_spool_room_of(2 * GIB, 20 * GIB), (int64_t)GIB);
	/* a 100 MiB file system with 4 MiB free: 5 MiB reserved, no room */
	assert_int_equal(sshd_spool_room_of(4 * MIB, 100 * MIB), 0);
}

static void
edges(void **state)
{
	assert_int_equal(sshd_spool_room_of(0, 0), 0);
	assert_int_equal(sshd_spool_room_of(0, 100 * GIB), 0);
	/* sizes past INT64_MAX are capped, never negative */
	assert_true(sshd_spool_room_of(UINT64_MAX, UINT64_MAX) == INT64_MAX);
}

static void
real_file_system(void **state)
{
	pgal_config cfg;
	struct statvfs sv;
	char path[64], home[] = "/tmp/pgal-spool-XXXXXX", dir[64];
	int64_t room, by_fd;
	int fd;

	assert_non_null(mkdtemp(home));
	pgal_config_defaults(&cfg);
	snprintf(cfg.home, sizeof cfg.home, "%s", home);
	fd = sshd_spool_open(&cfg, path, sizeof path);
	assert_true(fd >= 0);
	assert_int_equal(fstatvfs(fd, &sv), 0);
	by_fd = sshd_spool_room(&cfg, fd);
	room = sshd_spool_room(&cfg, -1);
	/* never more than what is free; the folder and the file agree (up
	 * to what others write meanwhile on a shared disk) */
	assert_true(by_fd >= 0 && (uint64_t)by_fd <= (uint64_t)sv.f_bavail * sv.f_frsize);
	assert_true(room >= 0 && (uint64_t)room <= (uint64_t)sv.f_bavail * sv.f_frsize + GIB);
	close(fd);
	/* the unnamed file left nothing behind */
	snprintf(dir, sizeof dir, "%s/spool", home);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(rmdir(home), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(big_disk_keeps_one_gib),
		cmocka_unit_test(small_disk_keeps_five_percent),
		cmocka_unit_test(edges),
		cmocka_unit_test(real_file_system),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* syscall-jail LIST COMMAND [ARG...]: runs COMMAND under a seccomp filter
 * that allows only the system calls named in LIST (one name a line) and
 * answers every other one with EPERM, the way systemd applies a unit's
 * SystemCallFilter= allow list with SystemCallErrorNumber=EPERM. Names this
 * machine's kernel does not have are passed over, as systemd does. A test
 * tool (libseccomp); not part of pgal. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char line[128];
	scmp_filter_ctx ctx;
	FILE *f;
	int n = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: syscall-jail LIST COMMAND [ARG...]\n");
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL) {
		fprintf(stderr, "syscall-jail: seccomp_init failed\n");
		return 2;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		int nr;

		line[strcspn(line, " \t\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if ((nr = seccomp_syscall_resolve_name(line)) == __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) != 0) {
			fprintf(stderr, "syscall-jail: cannot allow %s\n", line);
			return 2;
		}
		n++;
	}
	fclose(f);
	if (n == 0) {
		fprintf(stderr, "syscall-jail: no system call allowed in %s\n", argv[1]);
		return 2;
	}
	if (seccomp_load(ctx) != 0) {
		fprintf(stderr, "syscall-jail: seccomp_load failed\n");
		return 2;
	}
	seccomp_release(ctx);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "syscall-jail: %s: %s\n", argv[2], strerror(errno));
	return 127;
}

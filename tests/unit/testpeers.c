#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "testpeers.h"

const char *
pgal_test_top(void)
{
	static char top[PATH_MAX];
	char *slash;
	ssize_t n;
	int i;

	if (top[0] != '\0')
		return top;
	n = readlink("/proc/self/exe", top, sizeof top - 1);
	if (n <= 0) {
		perror("readlink /proc/self/exe");
		abort();
	}
	top[n] = '\0';
	for (i = 0; i < 3; i++) {
		if ((slash = strrchr(top, '/')) == NULL)
			abort();
		*slash = '\0';
	}
	return top;
}

void
pgal_peers_init(char dir[PATH_MAX])
{
	char pid[32];

	pgal_test_mkdtemp(dir);
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv("PEERS_OWNER", pid, 1);
}

int
pgal_peer_start(const char *dir, const char *args, const char *name)
{
	char cmd[PATH_MAX * 3], path[PATH_MAX + 64];
	FILE *f;
	int port = 0;

	if ((size_t)snprintf(cmd, sizeof cmd, "sh '%s/tests/integration/peers.sh' start %s "
	    "> /dev/null", pgal_test_top(), args) >= sizeof cmd)
		return -1;
	if (system(cmd) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/%s.port", dir, name);
	if ((f = fopen(path, "r")) == NULL || fscanf(f, "%d", &port) != 1)
		port = -1;
	if (f != NULL)
		fclose(f);
	return port;
}

int
pgal_peers_stop(const char *dir)
{
	char cmd[PATH_MAX * 3];
	int rc;

	snprintf(cmd, sizeof cmd, "sh '%s/tests/integration/peers.sh' stop '%s'",
	    pgal_test_top(), dir);
	rc = system(cmd) == 0 ? 0 : -1;
	pgal_test_rmdir(dir);
	return rc;
}

void
pgal_test_aws_env(const char *key_id, const char *secret)
{
	setenv("AWS_ACCESS_KEY_ID", key_id, 1);
	setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_ENDPOINT_URL");
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_REGION", "us-east-1", 1);
}

void
pgal_test_endpoint(const char *var, int port)
{
	char url[64];

	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	setenv(var, url, 1);
}

/* Loopback peers for the unit tests: tests/integration/peers.sh run from a
 * test binary, so the scripts that serve the integration tier serve here
 * too (s3rver, dynalite, the fault and verifying proxies, a fake IMDS). */
#ifndef PGAL_TESTPEERS_H
#define PGAL_TESTPEERS_H

#include <limits.h>

/* The repository root: the binary is <top>/<build>/tests/test-<name>. */
const char *pgal_test_top(void);
/* A fresh peers directory in dir; PEERS_OWNER names this process, so
 * peers.sh stops the peers should it die before pgal_peers_stop. */
void pgal_peers_init(char dir[PATH_MAX]);
/* "peers.sh start ARGS" (ARGS names dir, see peers.sh): the port the peer
 * wrote to dir/NAME.port, -1 when it did not start (peers.sh said why). */
int pgal_peer_start(const char *dir, const char *args, const char *name);
/* Stops every peer of dir and removes dir; -1 if stopping failed. */
int pgal_peers_stop(const char *dir);
/* The AWS environment of a loopback peer: these credentials, us-east-1,
 * no session token, profile, instance metadata or global endpoint. */
void pgal_test_aws_env(const char *key_id, const char *secret);
/* Sets the variable var (AWS_ENDPOINT_URL_S3...) to http://127.0.0.1:port. */
void pgal_test_endpoint(const char *var, int port);

#endif

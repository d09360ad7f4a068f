/* SFTP packets as a client sends them: the framing the channel counts
 * before libssh reads a packet (sftpd_packets), then each whole packet as
 * libssh hands it to the server (type, id, the path as a C string and the
 * message as it came), through the request table's checks of the paths
 * and the virtual tree's path parser, as sftpd_step does before a handler
 * runs.
 *
 * The checks are static to sshd/sftp.c, which is included whole here so
 * that it stays as it is: the harness replaces its object in the link. */
#include "../sshd/sftp.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A string of the packet as libssh's "s" unpacking makes it: a C string
 * of the bytes (cut at a NUL inside), or NULL. */
static char *
cstring(pgal_reader *r)
{
	const unsigned char *s;
	size_t len;

	if (pgal_read_string(r, &s, &len) == -1)
		return NULL;
	return strndup((const char *)s, len);
}

static void
one_packet(const unsigned char *p, size_t len)
{
	struct sftp_client_message_struct m;
	const struct sftpd_request *req;
	struct sshd_vpath v;
	pgal_reader r;
	uint32_t id;
	pgal_err e;
	int type;

	memset(&m, 0, sizeof m);
	pgal_reader_init(&r, p, len);
	if ((type = pgal_read_byte(&r)) == -1 || pgal_read_u32be(&r, &id) == -1)
		return;
	m.type = (uint8_t)type;
	m.id = id;
	if ((m.complete_message = ssh_buffer_new()) == NULL)
		abort();
	ssh_buffer_add_data(m.complete_message, p + 1, (uint32_t)(len - 1));
	if (type == SSH_FXP_EXTENDED)
		m.submessage = cstring(&r);
	if (type != SSH_FXP_EXTENDED || m.submessage != NULL)
		m.filename = cstring(&r);
	if (m.filename != NULL) {
		const unsigned char *s;
		size_t slen;

		if (pgal_read_string(&r, &s, &slen) == 0)
			m.data = ssh_string_new(slen);
		if (m.data != NULL)
			ssh_string_fill(m.data, s, slen);
	}
	if ((req = find_request(&m)) != NULL &&
	    (req->paths < 1 || paths_whole(&m, req->type)) &&
	    (req->paths < 2 || target_whole(&m)) && m.filename != NULL) {
		pgal_err_clear(&e);
		sshd_vpath_parse(m.filename, &v, &e);
	}
	ssh_buffer_free(m.complete_message);
	ssh_string_free(m.data);
	free(m.filename);
	free(m.submessage);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_reader r;
	const unsigned char *p;
	uint32_t n;
	int whole = sftpd_packets(data, size), i;

	pgal_reader_init(&r, data, size);
	for (i = 0; i < whole; i++) {
		if (pgal_read_u32be(&r, &n) == -1 || pgal_read_view(&r, &p, n) == -1)
			abort(); /* counted whole, so it must be there */
		one_packet(p, n);
	}
	return 0;
}

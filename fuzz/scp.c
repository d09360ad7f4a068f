/* Legacy scp's records as a client sends them to `scp -t`: the target
 * path of the command line, then "C0644 SIZE NAME", "D0755 0 NAME", "E" and
 * "T..." lines, each parsed as the sink parses it (the header strictly,
 * then the name). The input is the target line, then records, one a line.
 *
 * The parsers are static to sshd/scp.c, which is included whole here so
 * that it stays as it is: the harness replaces its object in the link. */
#include "../sshd/scp.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A part of a split target is empty or a name the sink would take. */
static int
bad_part(const char *part)
{
	pgal_err e;

	return part[0] != '\0' && check_name(part, &e) != PGAL_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char album[PGAL_ALBUM_MAX + 1], photo[PGAL_PHOTO_NAME_MAX + 1], line[HEADER_MAX + 1];
	const char *name;
	pgal_reader r;
	unsigned mode;
	uint64_t bytes;
	pgal_err e;
	int rc, first = 1;

	pgal_reader_init(&r, data, size);
	while ((rc = pgal_read_line(&r, line, HEADER_MAX)) != 0) {
		if (rc == -1)
			break;
		pgal_err_clear(&e);
		if (first) {
			first = 0;
			if (split_target(line, album, photo, &e) == PGAL_OK &&
			    (bad_part(album) || bad_part(photo)))
				abort();
			continue;
		}
		switch (line[0]) {
		case 'T':
			parse_times(line);
			break;
		case 'C':
		case 'D':
			if (parse_header(line, &mode, &bytes, &name) == 0) {
				if (name < line || name > line + strlen(line) || mode > 07777)
					abort();
				check_name(name, &e);
			}
			break;
		}
	}
	return 0;
}

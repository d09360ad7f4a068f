/* Internals of the AWS layer shared by its files: printable copies of
 * untrusted text for messages. Not for use outside core/aws/ and its
 * tests. */
#ifndef PGAL_AWS_INT_H
#define PGAL_AWS_INT_H

#include <stddef.h>

/* A short, printable copy of untrusted text for messages: control
 * characters become '?', cut at outsz - 1 bytes. */
void pgal_aws_printable(char *out, size_t outsz, const char *s, size_t len);

#endif

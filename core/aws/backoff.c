/* The AWS retry wait (aws.h): capped exponential backoff with full jitter,
 * as AWS's own SDKs wait between tries, one rule for the HTTP client's
 * retries and DynamoDB's resent batches. */
#include <stdint.h>

#include "aws/aws.h"

long
pgal_aws_backoff_ms(long base_ms, long cap_ms, int attempt, uint64_t rnd)
{
	long ceiling = base_ms;
	int i;

	if (base_ms <= 0 || cap_ms <= 0)
		return 0;
	/* doubling stops at the cap, so it cannot overflow */
	for (i = 0; i < attempt && ceiling < cap_ms; i++)
		ceiling = ceiling > cap_ms / 2 ? cap_ms : ceiling * 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	return (long)(rnd % ((uint64_t)ceiling + 1));
}

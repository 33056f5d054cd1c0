/* test_data.h - where tests find the repository's data files: $KONING_SOURCE_DIR (set
 * by ctest), else the current directory. Include after <cmocka.h>. */
#ifndef KONING_TEST_DATA_H
#define KONING_TEST_DATA_H

#include <stdio.h>
#include <stdlib.h>

static inline const char *source_dir(void)
{
    const char *d = getenv("KONING_SOURCE_DIR");
    return d && *d ? d : ".";
}

/* buf = SOURCE_DIR/rel; fails the test if it does not fit. */
static inline void data_path(char *buf, size_t cap, const char *rel)
{
    int n = snprintf(buf, cap, "%s/%s", source_dir(), rel);
    assert_true(n > 0 && (size_t)n < cap);
}

#endif

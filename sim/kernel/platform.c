/* platform.c - koning's SimGrid platform: one zone, one host. Actors only sleep
 * (service times are model data, not computation), so the host's speed is unused. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <simgrid/engine.h>
#include "platform.h"

static const char platform_xml[] =
    "<?xml version='1.0'?>\n"
    "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    "<platform version=\"4.1\">\n"
    "  <zone id=\"koning\" routing=\"None\">\n"
    "    <host id=\"" KN_PLATFORM_HOST "\" speed=\"1f\"/>\n"
    "  </zone>\n"
    "</platform>\n";

kn_status kn_platform_load(kn_error *err)
{
    int fd = memfd_create("koning-platform.xml", MFD_CLOEXEC);
    if (fd < 0)
        return kn_error_set(err, KN_EIO, "platform: memfd_create: %s", strerror(errno));
    size_t len = sizeof platform_xml - 1;
    ssize_t w = write(fd, platform_xml, len);
    if (w < 0 || (size_t)w != len) {
        close(fd);
        return kn_error_set(err, KN_EIO, "platform: cannot write the platform description");
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    simgrid_load_platform(path);
    close(fd);
    return KN_OK;
}

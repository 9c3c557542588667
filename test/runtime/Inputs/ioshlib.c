/* A shared library with plain blocking I/O (io-shared-lib.c): its calls to
 * read and nanosleep bind to libgmprt's definitions. */
#include <time.h>
#include <unistd.h>

int lib_read_byte(int fd) {
  unsigned char c;
  return read(fd, &c, 1) == 1 ? c : -1;
}

void lib_sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
  nanosleep(&ts, NULL);
}

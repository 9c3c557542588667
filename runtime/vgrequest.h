/*
 * vgrequest.h - valgrind's client requests for the runtime: from
 * <valgrind/valgrind.h> when it is installed, otherwise from our own
 * encoding of the documented ABI (sanitizers_<arch>.h).  Each request is a
 * few instructions that do nothing outside valgrind, so they may run
 * anywhere, signal handlers included.  sanitizers.c uses them to register
 * goroutine stacks, the async layer to mark what its diversion writes.
 */
#ifndef GP_VGREQUEST_H
#define GP_VGREQUEST_H

#include <stdint.h>

/* -DGP_NO_VALGRIND_H: the encoding below even where the header exists
 * (test/sanitizer/memcheck-request.c checks that encoding). */
#if defined(__has_include) && !defined(GP_NO_VALGRIND_H)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define GP_HAVE_VALGRIND_H 1
#endif
#endif
#if !defined(GP_HAVE_VALGRIND_H) && defined(__x86_64__)
#include "sanitizers_x86_64.h"
#endif

/* memcheck's VG_USERREQ__MAKE_MEM_UNDEFINED: its tool base ('M', 'C' in
 * the top two bytes) + 1, as memcheck.h numbers it. */
#define GP_VG_MAKE_MEM_UNDEFINED 0x4d430001u

#ifdef GP_HAVE_VALGRIND_H
#define vg_running() (RUNNING_ON_VALGRIND != 0)
#define vg_stack_register(lo, hi) VALGRIND_STACK_REGISTER(lo, hi)
#define vg_make_undefined(lo, n)                                                                   \
  VALGRIND_DO_CLIENT_REQUEST_EXPR(0, GP_VG_MAKE_MEM_UNDEFINED, lo, n, 0, 0, 0)
#elif defined(GP_ARCH_VALGRIND_REQUEST)
#define vg_running() (GP_ARCH_VALGRIND_REQUEST(GP_VG_RUNNING_ON_VALGRIND, 0, 0) != 0)
#define vg_stack_register(lo, hi) GP_ARCH_VALGRIND_REQUEST(GP_VG_STACK_REGISTER, lo, hi)
#define vg_make_undefined(lo, n) GP_ARCH_VALGRIND_REQUEST(GP_VG_MAKE_MEM_UNDEFINED, lo, n)
#else
#define vg_running() 0
#define vg_stack_register(lo, hi) 0
#define vg_make_undefined(lo, n) 0
#endif

#endif /* GP_VGREQUEST_H */

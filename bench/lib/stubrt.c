/* stubrt.c: a do-nothing stand-in for libgmprt, used by
 * `overhead.sh --stub-runtime` to measure the pure cost of the inserted
 * checks without the runtime's start-up, threads and sysmon: the guard word
 * (the TLS word here, or glibc's TCB slot, which glibc leaves 0) stays 0, so no check ever fires, exactly as on a thread the runtime does
 * not own. */
#include <stdint.h>
__thread uintptr_t __gp_stack_guard __attribute__((tls_model("initial-exec")));
__attribute__((preserve_most)) void __gp_slowpath(const void *site) { (void)site; }
__attribute__((preserve_most)) void __gp_slowpath_frame(const void *site, uintptr_t n) {
  (void)site;
  (void)n;
}
void __gp_register_module(void *m) { (void)m; }
void __gp_unregister_module(void *m) { (void)m; }

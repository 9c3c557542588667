// C++ with goroutines: std::string, std::vector and an exception inside a
// goroutine, and a hog that only the pass's checks let main preempt.
#include <gpreempt.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

static std::vector<std::string> results;
static gp_waitgroup_t wg;
static volatile unsigned long spins;

static void work(void *arg) {
  auto n = reinterpret_cast<intptr_t>(arg);
  try {
    if (n == 3) throw std::runtime_error("three");
    results.push_back("g" + std::to_string(n));
  } catch (const std::exception &e) {
    results.push_back(std::string("caught ") + e.what());
  }
  gp_waitgroup_done(&wg);
}

static void spin(void *) {
  for (;;) spins++;
}

int main() {
  if (gp_go(spin, nullptr) < 0) return 1;
  for (intptr_t i = 1; i <= 4; i++) {
    gp_waitgroup_add(&wg, 1);
    if (gp_go(work, reinterpret_cast<void *>(i)) < 0) return 1;
    gp_waitgroup_wait(&wg); // one at a time: results stay in order
  }
  for (const auto &r : results) std::printf("%s\n", r.c_str());
  return 0;
}

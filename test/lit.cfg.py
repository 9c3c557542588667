# lit configuration for gpreempt.  Substitutions:
#   %opt      opt with the plugin loaded (new pass manager); add -passes=gpreempt
#   %clang    the clang of the LLVM the plugin was built for
#   %gpflags  clang flags that load the plugin (both -fplugin and -fpass-plugin)
#              and add include/ to the include path
#   %gpcc     build/bin/gpreempt-cc (compile + link with libgmprt)
#   %gprt     libgmprt.a plus its link dependencies
#   %gprt_so  libgmprt.so
#   %gprt_async  libgmprt_async.a: the async-preemption layer alone
#   %gprt_flags  link flags a program using libgmprt.so directly needs
#   %inc      the include/ directory
#   FileCheck, not, count, llvm-*: on PATH, from the LLVM bin directory
# Features: llvm-14, llvm-19, llvm-22 (the major version), x86_64, aarch64,
# libomp (clang -fopenmp links), libgomp (gcc -fopenmp links);
# asan, tsan, ubsan: the runtime was built with GP_SANITIZE=address, thread,
# undefined; valgrind: valgrind is installed and the build has no sanitizer.
import os
import platform
import shutil
import lit.formats

config.name = "gpreempt"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".c", ".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.gp_obj_root, "test")

bin_ = config.llvm_bin
plugin = config.gp_plugin
inc = os.path.join(config.gp_src_root, "include")
opt_load = "-load-pass-plugin=%s" % plugin
if config.llvm_version_major < 15:
    # opt 14 only accepts a plugin's cl::opts when it is also -load'ed.
    opt_load = "-load=%s %s" % (plugin, opt_load)
config.substitutions.append(("%opt", "%s/opt %s" % (bin_, opt_load)))
config.substitutions.append(("%clang", "%s/clang" % bin_))
config.substitutions.append(
    ("%gpflags", "-fplugin=%s -fpass-plugin=%s -I%s" % (plugin, plugin, inc)))
config.substitutions.append(
    ("%gpcc", os.path.join(config.gp_obj_root, "bin", "gpreempt-cc")))
config.substitutions.append(("%gprt_so", config.gp_runtime_shared))
# What a program linking libgmprt.so directly must add (the sanitizer runtime
# in a -DGP_SANITIZE build; empty otherwise).
config.substitutions.append(("%gprt_flags", config.gp_runtime_link_flags))
# The async-preemption layer alone (libgmprt_async.a), for its unit tests.
config.substitutions.append(("%gprt_async", config.gp_runtime_async))
config.substitutions.append(("%gprt", "%s -lpthread %s" % (config.gp_runtime_static,
                                                            config.gp_runtime_link_flags)))
config.substitutions.append(("%inc", inc))
# FileCheck, not, count, llvm-* come first on PATH from the LLVM under test.
config.environment["PATH"] = os.pathsep.join([bin_, config.environment.get("PATH", os.environ["PATH"])])

config.available_features.add("llvm-%d" % config.llvm_version_major)
config.available_features.add(platform.machine())
sanitizers = [s for s in config.gp_sanitize.split(",") if s]
for name, feature in (("address", "asan"), ("thread", "tsan"), ("undefined", "ubsan")):
    if name in sanitizers:
        config.available_features.add(feature)
# --param valgrind=0 leaves the memcheck tests out (CI runs them once).
if not sanitizers and shutil.which("valgrind") and lit_config.params.get("valgrind", "1") != "0":
    config.available_features.add("valgrind")
if shutil.which("gdb"):
    config.available_features.add("gdb")  # test/pass/O0-debug-gdb.c

# Tests must not inherit the developer's scheduler knobs.
for var in ("GPDEBUG", "GPMAXPROCS"):
    config.environment.pop(var, None)

# Tests that measure scheduling (fairness, latency, starvation by timeout) run
# one at a time, so that they do not compete with each other for the 2 CPUs;
# their directories opt in with config.parallelism_group = "timing".
lit_config.parallelism_groups["timing"] = 1

# OpenMP runtimes, for the thread-bound library tests (runtime/threadbound.c):
# "libomp" when this clang links -fopenmp programs, "libgomp" when gcc does.
import subprocess
import tempfile

def _links_openmp(cc, flags):
    src = "int main(void) { int n = 0;\n#pragma omp parallel\n n = 1;\n return n - 1; }\n"
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "a.out")
        try:
            r = subprocess.run([cc] + flags + ["-x", "c", "-", "-o", out], input=src.encode(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return r.returncode == 0

if _links_openmp(os.path.join(bin_, "clang"), ["-fopenmp"]):
    config.available_features.add("libomp")
if _links_openmp("gcc", ["-fopenmp"]):
    config.available_features.add("libgomp")

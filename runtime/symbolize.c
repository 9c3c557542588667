/*
 * symbolize.c - PC -> function name, for dumps and traces (never from a
 * signal handler: it may open and map files).
 *
 * Order: the gpreempt tables (instrumented functions, exact), dladdr
 * (exported symbols), then the static .symtab of the object containing pc
 * (static functions, executables built without -rdynamic), read from the
 * file with one mmap.  Falls back to the address in hex.
 */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"
#include "diag.h"
#include "preempt.h"

static bool elf_symtab_lookup(const char *path, uintptr_t addr, char *buf, size_t n) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool found = false;
  void *map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof(Elf64_Ehdr))
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return false;
  const unsigned char *base = map;
  size_t size = (size_t)st.st_size;
  const Elf64_Ehdr *eh = map;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
    goto out;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(base + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum && !found; i++) {
    if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum) continue;
    const Elf64_Shdr *strh = &sh[sh[i].sh_link];
    if (sh[i].sh_offset + sh[i].sh_size > size || strh->sh_offset + strh->sh_size > size) continue;
    const Elf64_Sym *sym = (const Elf64_Sym *)(base + sh[i].sh_offset);
    size_t nsym = sh[i].sh_size / sizeof *sym;
    for (size_t k = 0; k < nsym; k++) {
      if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_value == 0) continue;
      if (addr < sym[k].st_value || addr >= sym[k].st_value + (sym[k].st_size ? sym[k].st_size : 1))
        continue;
      if (sym[k].st_name < strh->sh_size) {
        snprintf(buf, n, "%s", (const char *)(base + strh->sh_offset + sym[k].st_name));
        found = true;
      }
      break;
    }
  }
out:
  munmap(map, size);
  return found;
}

void gp_symbolize(uintptr_t pc, char *buf, size_t n) {
  const gp_func_t *f = pc ? gp_tables_lookup(pc) : NULL;
  if (f && f->name) {
    snprintf(buf, n, "%s", f->name);
    return;
  }
  Dl_info info;
  if (pc && dladdr((void *)pc, &info)) {
    if (info.dli_sname && (uintptr_t)info.dli_saddr <= pc) {
      snprintf(buf, n, "%s", info.dli_sname);
      return;
    }
    const char *path = info.dli_fname && info.dli_fname[0] ? info.dli_fname : "/proc/self/exe";
    const Elf64_Ehdr *eh = info.dli_fbase;
    uintptr_t addr = eh && eh->e_type == ET_DYN ? pc - (uintptr_t)info.dli_fbase : pc;
    if (elf_symtab_lookup(path, addr, buf, n)) return;
    if (strcmp(path, "/proc/self/exe") != 0 && elf_symtab_lookup("/proc/self/exe", addr, buf, n))
      return;
  }
  snprintf(buf, n, "0x%lx", (unsigned long)pc);
}

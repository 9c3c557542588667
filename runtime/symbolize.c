/*
 * symbolize.c - PC -> function, file:line, for crash reports, goroutine
 * dumps and the execution trace.  Async-signal-safe: the crash handler
 * (crash.c) calls it on a signal stack, possibly while another thread holds
 * malloc's or the dynamic loader's lock.
 *
 * Mechanism, per lookup:
 *   1. the gpreempt tables (tables.c: instrumented functions, lock-free):
 *      the function's name even in a stripped binary;
 *   2. /proc/self/maps, read with raw system calls, names the object file
 *      mapping pc and the file offset; the object's program headers turn
 *      that into the link-time address (works for executables, PIEs and
 *      shared libraries, and for libraries dlopen'ed at any time);
 *   3. the object is mmap'ed read-only once and kept (an object is at most a
 *      few MiB of page cache, and a process that crashes or dumps needs it
 *      again for every frame); its .symtab (or .dynsym) gives the function
 *      containing the address, its .debug_line (DWARF 2-5) the file and
 *      line.  The first line lookup in an object scans every line program
 *      once and records each sequence's address range in an index (an
 *      anonymous mmap, no malloc), so later lookups run one sequence.
 * Everything is system calls (open, read, mmap, close) and pure functions:
 * no malloc, no stdio, no locks.  Objects are cached in a fixed table
 * claimed with a CAS; two threads mapping the same object at once waste a
 * mapping, nothing else.
 *
 * Not supported (the lookup then falls back to the symbol, or to the hex
 * address): separate debug files (.gnu_debuglink, debuginfod), compressed
 * debug sections (SHF_COMPRESSED), DWARF 64-bit units, inlined-frame
 * expansion (.debug_info is not read: an inlined call's PC reports the
 * inlined code's file:line under the outer function's symbol), and DWARF 4
 * file names relative to DW_AT_comp_dir (shown relative).
 *
 * Rejected: dladdr and dl_iterate_phdr (they take the loader's lock, and a
 * crash may come from inside the loader); a pre-forked llvm-symbolizer or
 * addr2line (a process per program, and output that depends on a tool being
 * installed); parsing .debug_line at start-up (every program would pay for
 * the rare crash).
 */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"
#include "diag.h"
#include "preempt.h"

/* Objects a process maps code from: the executable, libgmprt, libc and a
 * few more; later ones are symbolized from the gpreempt tables only. */
#define GP_SYM_MAX_OBJECTS 64
/* Longest /proc/self/maps line used, and longest object path: the handler
 * may run on a small alternate stack the program installed, so the lookup
 * keeps its buffers small (objects with longer paths are not symbolized). */
#define GP_SYM_MAPS_LINE 1024
#define GP_SYM_PATH_MAX (GP_SYM_MAPS_LINE - 64)

typedef struct seq_index {
  uint64_t lo, hi;  /* [lo, hi): addresses of the sequence */
  uint32_t unit;    /* offset of its unit's header in .debug_line */
  uint32_t program; /* offset of its first opcode */
} seq_index_t;

typedef struct sym_object {
  _Atomic int state; /* 0 free, 1 being filled, 2 ready, 3 unusable */
  char path[GP_SYM_PATH_MAX];
  const unsigned char *map;
  size_t size;
  const Elf64_Ehdr *eh;
  const Elf64_Shdr *symtab, *strtab; /* or .dynsym/.dynstr */
  const unsigned char *line, *line_str, *str;
  size_t line_size, line_str_size, str_size;
  _Atomic int index_state; /* 0 none, 1 building, 2 ready, 3 none possible */
  seq_index_t *index;
  size_t nindex;
} sym_object_t;

static sym_object_t objects[GP_SYM_MAX_OBJECTS];

/* ---- Raw system calls ------------------------------------------------------ */

static long sys_open(const char *path) {
  return syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
}
static void sys_close(int fd) { syscall(SYS_close, fd); }
static void *sys_mmap(size_t len, int prot, int flags, int fd) {
  /* every argument as a long: syscall(2) reads six longs, and an int's
   * upper half in a register is undefined (a garbage offset maps past EOF) */
  long r = syscall(SYS_mmap, 0L, (long)len, (long)prot, (long)flags, (long)fd, 0L);
  return r < 0 && r > -4096 ? MAP_FAILED : (void *)r;
}

/* ---- /proc/self/maps --------------------------------------------------------- */

static uint64_t parse_hex(const char **s) {
  uint64_t v = 0;
  for (;; (*s)++) {
    char c = **s;
    if (c >= '0' && c <= '9')
      v = v * 16 + (uint64_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v = v * 16 + (uint64_t)(c - 'a' + 10);
    else
      return v;
  }
}

/* The object mapping pc: its path and pc's offset in the file.  Reads the
 * file in chunks, one line at a time. */
static bool maps_find(uintptr_t pc, char *path, size_t pathn, uint64_t *fileoff) {
  long fd = sys_open("/proc/self/maps");
  if (fd < 0) return false;
  char buf[GP_SYM_MAPS_LINE];
  size_t have = 0;
  bool found = false, eof = false, skipping = false;
  while (!found) {
    if (!eof && have < sizeof buf) {
      long n = syscall(SYS_read, (int)fd, buf + have, sizeof buf - have);
      if (n <= 0)
        eof = true;
      else
        have += (size_t)n;
    }
    char *nl = memchr(buf, '\n', have);
    if (!nl) {
      if (eof) break;
      if (have == sizeof buf) { /* a line we cannot hold: skip to its end */
        skipping = true;
        have = 0;
      }
      continue;
    }
    if (skipping) {
      skipping = false;
      goto next;
    }
    *nl = 0;
    const char *s = buf;
    uint64_t lo = parse_hex(&s);
    s++;
    uint64_t hi = parse_hex(&s);
    s++;
    bool exec = s[2] == 'x';
    s += 5;
    uint64_t off = parse_hex(&s);
    if (pc >= lo && pc < hi && exec) {
      const char *p = strchr(s, '/');
      if (p && strlen(p) < pathn) {
        memcpy(path, p, strlen(p) + 1);
        *fileoff = off + (pc - lo);
        found = true;
      }
      break;
    }
  next:;
    size_t used = (size_t)(nl + 1 - buf);
    memmove(buf, nl + 1, have - used);
    have -= used;
  }
  sys_close((int)fd);
  return found;
}

/* ---- ELF ----------------------------------------------------------------- */

static const Elf64_Shdr *section(const sym_object_t *o, const char *name) {
  const Elf64_Ehdr *eh = o->eh;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(o->map + eh->e_shoff);
  if (eh->e_shstrndx >= eh->e_shnum) return NULL;
  const Elf64_Shdr *names = &sh[eh->e_shstrndx];
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_offset + sh[i].sh_size > o->size) continue;
    if (sh[i].sh_name >= names->sh_size || (sh[i].sh_flags & SHF_COMPRESSED)) continue;
    const char *n = (const char *)o->map + names->sh_offset + sh[i].sh_name;
    if (strcmp(n, name) == 0) return &sh[i];
  }
  return NULL;
}

static bool object_open(sym_object_t *o) {
  long fd = sys_open(o->path);
  if (fd < 0) return false;
  struct stat st;
  bool ok = syscall(SYS_fstat, (int)fd, &st) == 0 && st.st_size > (off_t)sizeof(Elf64_Ehdr);
  void *map = ok ? sys_mmap((size_t)st.st_size, PROT_READ, MAP_PRIVATE, (int)fd) : MAP_FAILED;
  sys_close((int)fd);
  if (map == MAP_FAILED) return false;
  o->map = map;
  o->size = (size_t)st.st_size;
  o->eh = map;
  const Elf64_Ehdr *eh = o->eh;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > o->size ||
      eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > o->size)
    return false;
  o->symtab = section(o, ".symtab");
  if (!o->symtab) o->symtab = section(o, ".dynsym");
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(o->map + eh->e_shoff);
  if (o->symtab && o->symtab->sh_link < eh->e_shnum)
    o->strtab = &sh[o->symtab->sh_link];
  else
    o->symtab = NULL;
  const Elf64_Shdr *s;
  if ((s = section(o, ".debug_line"))) o->line = o->map + s->sh_offset, o->line_size = s->sh_size;
  if ((s = section(o, ".debug_line_str")))
    o->line_str = o->map + s->sh_offset, o->line_str_size = s->sh_size;
  if ((s = section(o, ".debug_str"))) o->str = o->map + s->sh_offset, o->str_size = s->sh_size;
  return true;
}

static sym_object_t *object_get(const char *path) {
  for (int i = 0; i < GP_SYM_MAX_OBJECTS; i++) {
    sym_object_t *o = &objects[i];
    int st = LOAD_ACQ(&o->state); /* pairs with the STORE_REL below */
    if (st == 0) {
      int zero = 0;
      if (!atomic_compare_exchange_strong(&o->state, &zero, 1)) {
        i--; /* lost the race for this slot: look at it again */
        continue;
      }
      memcpy(o->path, path, strlen(path) + 1);
      bool ok = object_open(o);
      STORE_REL(&o->state, ok ? 2 : 3); /* publishes the fields above */
      return ok ? o : NULL;
    }
    if (st == 1) { /* another thread fills it: it may be ours */
      while ((st = LOAD_ACQ(&o->state)) == 1) gp_arch_cpu_relax();
    }
    if (strcmp(o->path, path) == 0) return st == 2 ? o : NULL;
  }
  return NULL;
}

/* The object's link-time address of file offset off (PT_LOAD mapping). */
static bool file_to_vaddr(const sym_object_t *o, uint64_t off, uint64_t *vaddr) {
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(o->map + o->eh->e_phoff);
  for (int i = 0; i < o->eh->e_phnum; i++)
    if (ph[i].p_type == PT_LOAD && off >= ph[i].p_offset && off < ph[i].p_offset + ph[i].p_filesz) {
      *vaddr = ph[i].p_vaddr + (off - ph[i].p_offset);
      return true;
    }
  return false;
}

static bool symtab_lookup(const sym_object_t *o, uint64_t addr, gp_symloc_t *out) {
  if (!o->symtab) return false;
  const Elf64_Sym *sym = (const Elf64_Sym *)(o->map + o->symtab->sh_offset);
  size_t n = o->symtab->sh_size / sizeof *sym;
  const Elf64_Sym *best = NULL;
  for (size_t k = 0; k < n; k++) {
    if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_value == 0) continue;
    if (addr < sym[k].st_value || addr >= sym[k].st_value + (sym[k].st_size ? sym[k].st_size : 1))
      continue;
    best = &sym[k];
    if (ELF64_ST_BIND(best->st_info) != STB_LOCAL) break; /* prefer a global alias */
  }
  if (!best || best->st_name >= o->strtab->sh_size) return false;
  out->func = (const char *)o->map + o->strtab->sh_offset + best->st_name;
  out->func_off = addr - best->st_value;
  return true;
}

/* ---- DWARF .debug_line ------------------------------------------------------ */

typedef struct reader {
  const unsigned char *p, *end;
  bool bad;
} reader_t;

static uint64_t rd_fixed(reader_t *r, int n) {
  if (r->end - r->p < n) {
    r->bad = true;
    r->p = r->end;
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v |= (uint64_t)r->p[i] << (8 * i);
  r->p += n;
  return v;
}
static uint64_t rd_uleb(reader_t *r) {
  uint64_t v = 0;
  for (int shift = 0; r->p < r->end; shift += 7) {
    unsigned char b = *r->p++;
    if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  r->bad = true;
  return v;
}
static int64_t rd_sleb(reader_t *r) {
  int64_t v = 0;
  int shift = 0;
  unsigned char b = 0x80;
  while (r->p < r->end && (b & 0x80)) {
    b = *r->p++;
    if (shift < 64) v |= (int64_t)(b & 0x7f) << shift;
    shift += 7;
  }
  if (shift < 64 && (b & 0x40)) v |= -((int64_t)1 << shift);
  return v;
}
static const char *rd_str(reader_t *r) {
  const unsigned char *s = r->p;
  const unsigned char *z = memchr(s, 0, (size_t)(r->end - s));
  if (!z) {
    r->bad = true;
    r->p = r->end;
    return "";
  }
  r->p = z + 1;
  return (const char *)s;
}

/* A unit's line-program header, as far as the state machine and the file
 * names need it. */
typedef struct line_header {
  int version;
  const unsigned char *unit_end, *program;
  uint8_t min_inst, default_stmt, line_range, opcode_base;
  int8_t line_base;
  const unsigned char *std_lengths;
  /* v5: entry formats; v2-4: the include_directories / file_names tables */
  const unsigned char *dirs, *files; /* files: v2-4 only */
  uint8_t ndirfmt;
  const unsigned char *dirfmt;
  uint64_t ndirs;
} line_header_t;

static bool parse_header(const sym_object_t *o, size_t off, line_header_t *h) {
  reader_t r = {o->line + off, o->line + o->line_size, false};
  uint64_t len = rd_fixed(&r, 4);
  if (len >= 0xfffffff0u || len > (uint64_t)(r.end - r.p)) return false; /* DWARF64: no */
  h->unit_end = r.p + len;
  r.end = h->unit_end;
  h->version = (int)rd_fixed(&r, 2);
  if (h->version < 2 || h->version > 5) return false;
  if (h->version >= 5) rd_fixed(&r, 2); /* address_size, segment_selector_size */
  uint64_t hlen = rd_fixed(&r, 4);
  if (hlen > (uint64_t)(r.end - r.p)) return false;
  h->program = r.p + hlen;
  h->min_inst = (uint8_t)rd_fixed(&r, 1);
  if (h->version >= 4) rd_fixed(&r, 1); /* maximum_operations_per_instruction */
  h->default_stmt = (uint8_t)rd_fixed(&r, 1);
  h->line_base = (int8_t)rd_fixed(&r, 1);
  h->line_range = (uint8_t)rd_fixed(&r, 1);
  h->opcode_base = (uint8_t)rd_fixed(&r, 1);
  h->std_lengths = r.p;
  if (h->opcode_base == 0 || h->line_range == 0 || (size_t)(r.end - r.p) < h->opcode_base - 1u)
    return false;
  r.p += h->opcode_base - 1;
  if (h->version >= 5) {
    h->ndirfmt = (uint8_t)rd_fixed(&r, 1);
    h->dirfmt = r.p;
    for (int i = 0; i < 2 * h->ndirfmt; i++) rd_uleb(&r);
    h->ndirs = rd_uleb(&r);
    h->dirs = r.p;
  } else {
    h->dirs = r.p;
    while (!r.bad && *rd_str(&r)) {
    }
    h->files = r.p;
  }
  return !r.bad;
}

enum { DW_LNCT_path = 1, DW_LNCT_directory_index = 2 };

/* Reads one attribute of form `form`: a string (for path) or a number. */
static bool rd_form(const sym_object_t *o, reader_t *r, uint64_t form, const char **s,
                    uint64_t *v) {
  *s = NULL;
  *v = 0;
  switch (form) {
  case 0x08:
    *s = rd_str(r);
    return true; /* DW_FORM_string */
  case 0x1f:
  case 0x0e: { /* DW_FORM_line_strp, strp */
    uint64_t off = rd_fixed(r, 4);
    const unsigned char *sec = form == 0x1f ? o->line_str : o->str;
    size_t size = form == 0x1f ? o->line_str_size : o->str_size;
    if (sec && off < size && memchr(sec + off, 0, size - off)) *s = (const char *)sec + off;
    return true;
  }
  case 0x0b:
    *v = rd_fixed(r, 1);
    return true; /* data1 */
  case 0x05:
    *v = rd_fixed(r, 2);
    return true; /* data2 */
  case 0x06:
    *v = rd_fixed(r, 4);
    return true; /* data4 */
  case 0x07:
    *v = rd_fixed(r, 8);
    return true; /* data8 */
  case 0x1e:
    rd_fixed(r, 8);
    rd_fixed(r, 8);
    return true; /* data16 (MD5) */
  case 0x0f:
    *v = rd_uleb(r);
    return true; /* udata */
  case 0x09: {   /* block */
    uint64_t n = rd_uleb(r);
    if (n > (uint64_t)(r->end - r->p)) return false;
    r->p += n;
    return true;
  }
  default:
    return false;
  }
}

/* v5: reads one entry of a directory or file table whose entry format is
 * fmt[nfmt] (pairs of content type and form); its path and directory. */
static bool v5_entry(const sym_object_t *o, reader_t *r, const unsigned char *fmt, int nfmt,
                     const char **path, uint64_t *dir) {
  reader_t f = {fmt, r->end, false};
  for (int i = 0; i < nfmt; i++) {
    uint64_t type = rd_uleb(&f), form = rd_uleb(&f);
    const char *s;
    uint64_t v;
    if (!rd_form(o, r, form, &s, &v) || r->bad) return false;
    if (type == DW_LNCT_path) *path = s;
    if (type == DW_LNCT_directory_index) *dir = v;
  }
  return true;
}

/* v5: path of entry idx of the directory table. */
static const char *v5_dir(const sym_object_t *o, const line_header_t *h, uint64_t idx) {
  reader_t r = {h->dirs, h->program, false};
  const char *path = NULL;
  uint64_t unused;
  for (uint64_t e = 0; e <= idx; e++)
    if (!v5_entry(o, &r, h->dirfmt, h->ndirfmt, &path, &unused)) return NULL;
  return path;
}

/* File `idx` of unit h: directory and name. */
static void file_name(const sym_object_t *o, const line_header_t *h, uint64_t idx,
                      gp_symloc_t *out) {
  out->file = NULL;
  out->dir = NULL;
  if (h->version >= 5) {
    if (idx >= UINT32_MAX) return;
    reader_t r = {h->dirs, h->program, false};
    const char *path = NULL;
    uint64_t dir = 0;
    for (uint64_t e = 0; e < h->ndirs; e++) /* skip the directories */
      if (!v5_entry(o, &r, h->dirfmt, h->ndirfmt, &path, &dir)) return;
    uint8_t nfmt = (uint8_t)rd_fixed(&r, 1);
    const unsigned char *fmt = r.p;
    for (int i = 0; i < 2 * nfmt; i++) rd_uleb(&r);
    uint64_t nfiles = rd_uleb(&r);
    if (r.bad || idx >= nfiles) return;
    path = NULL;
    dir = 0;
    for (uint64_t e = 0; e <= idx; e++)
      if (!v5_entry(o, &r, fmt, nfmt, &path, &dir)) return;
    out->file = path;
    if (dir < h->ndirs) out->dir = v5_dir(o, h, dir);
    return;
  }
  reader_t r = {h->files, h->program, false};
  for (uint64_t i = 1; !r.bad; i++) {
    const char *name = rd_str(&r);
    if (!*name) return;
    uint64_t dir = rd_uleb(&r);
    rd_uleb(&r);
    rd_uleb(&r);
    if (i != idx) continue;
    out->file = name;
    reader_t d = {h->dirs, h->files, false};
    for (uint64_t k = 1; k <= dir && !d.bad; k++) {
      const char *dn = rd_str(&d);
      if (!*dn) break;
      if (k == dir) out->dir = dn;
    }
    return;
  }
}

typedef struct line_row {
  uint64_t addr, file, line;
} line_row_t;

/*
 * Runs the state machine of unit h from `program`.  With pc != 0 it stops
 * at the end of the first sequence and reports the row covering pc
 * (returns true if found).  With pc == 0 it indexes every sequence of the
 * unit into idx[*n] (or only counts them when idx is NULL).
 */
static bool run_program(const line_header_t *h, uint32_t unit, const unsigned char *program,
                        uint64_t pc, line_row_t *found, seq_index_t *idx, size_t *n) {
  reader_t r = {program, h->unit_end, false};
  line_row_t cur = {0, 1, 1}, prev = {0, 0, 0};
  bool have_prev = false;
  uint64_t seq_lo = UINT64_MAX;
  const unsigned char *seq_start = program;
  while (r.p < r.end && !r.bad) {
    uint8_t op = (uint8_t)rd_fixed(&r, 1);
    bool emit = false, end_seq = false;
    if (op >= h->opcode_base) {
      unsigned adj = op - h->opcode_base;
      cur.addr += (uint64_t)(adj / h->line_range) * h->min_inst;
      cur.line += (uint64_t)(h->line_base + (int)(adj % h->line_range));
      emit = true;
    } else if (op == 0) {
      uint64_t len = rd_uleb(&r);
      if (len == 0 || len > (uint64_t)(r.end - r.p)) break;
      const unsigned char *next = r.p + len;
      uint8_t sub = (uint8_t)rd_fixed(&r, 1);
      if (sub == 1)
        emit = end_seq = true; /* DW_LNE_end_sequence */
      else if (sub == 2)
        cur.addr = rd_fixed(&r, 8); /* DW_LNE_set_address */
      r.p = next;
    } else {
      switch (op) {
      case 1:
        emit = true;
        break; /* copy */
      case 2:
        cur.addr += rd_uleb(&r) * h->min_inst;
        break; /* advance_pc */
      case 3:
        cur.line += (uint64_t)rd_sleb(&r);
        break; /* advance_line */
      case 4:
        cur.file = rd_uleb(&r);
        break; /* set_file */
      case 8:
        cur.addr += (uint64_t)((255 - h->opcode_base) / h->line_range) * h->min_inst;
        break;
      case 9:
        cur.addr += rd_fixed(&r, 2);
        break; /* fixed_advance_pc */
      default:
        for (int i = 0; i < h->std_lengths[op - 1]; i++) rd_uleb(&r);
      }
    }
    if (!emit) continue;
    if (pc) {
      if (have_prev && prev.addr <= pc && pc < cur.addr) {
        *found = prev;
        return true;
      }
    } else if (seq_lo == UINT64_MAX) {
      seq_lo = cur.addr;
    }
    prev = cur;
    have_prev = true;
    if (!end_seq) continue;
    if (pc) return false;
    if (seq_lo != 0 && seq_lo < cur.addr) { /* address 0: a discarded function */
      if (idx) idx[*n] = (seq_index_t){seq_lo, cur.addr, unit, (uint32_t)(seq_start - h->program)};
      (*n)++;
    }
    cur = (line_row_t){0, 1, 1};
    have_prev = false;
    seq_lo = UINT64_MAX;
    seq_start = r.p;
  }
  return false;
}

/* Scans every unit: counts sequences (idx NULL) or records them. */
static size_t index_units(const sym_object_t *o, seq_index_t *idx) {
  size_t n = 0;
  for (size_t off = 0; off + 4 < o->line_size;) {
    line_header_t h;
    if (!parse_header(o, off, &h)) break;
    run_program(&h, (uint32_t)off, h.program, 0, NULL, idx, &n);
    off = (size_t)(h.unit_end - o->line);
  }
  return n;
}

static bool build_index(sym_object_t *o) {
  int st = 0;
  if (!atomic_compare_exchange_strong(&o->index_state, &st, 1)) {
    while ((st = LOAD_ACQ(&o->index_state)) == 1) gp_arch_cpu_relax();
    return st == 2;
  }
  size_t n = o->line ? index_units(o, NULL) : 0;
  void *mem =
      n ? sys_mmap(n * sizeof(seq_index_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)
        : MAP_FAILED;
  if (mem == MAP_FAILED) {
    STORE_REL(&o->index_state, 3);
    return false;
  }
  o->index = mem;
  o->nindex = index_units(o, o->index);
  STORE_REL(&o->index_state, 2); /* publishes index; pairs with the LOAD_ACQ above */
  return true;
}

static bool line_lookup(sym_object_t *o, uint64_t addr, gp_symloc_t *out) {
  if (!o->line || !build_index(o)) return false;
  for (size_t i = 0; i < o->nindex; i++) {
    const seq_index_t *s = &o->index[i];
    if (addr < s->lo || addr >= s->hi) continue;
    line_header_t h;
    if (!parse_header(o, s->unit, &h)) return false;
    line_row_t row;
    if (!run_program(&h, s->unit, h.program + s->program, addr, &row, NULL, NULL)) continue;
    if (!row.line) return false; /* code of no line (merged calls): its file misleads too */
    file_name(o, &h, row.file, out);
    if (!out->file) return false;
    out->line = (unsigned)row.line;
    if (out->dir && (out->file[0] == '/' || !out->dir[0])) out->dir = NULL;
    return true;
  }
  return false;
}

/* ---- Entry points -------------------------------------------------------- */

bool gp_symbolize_pc(uintptr_t pc, gp_symloc_t *out) {
  memset(out, 0, sizeof *out);
  if (!pc) return false;
  const gp_func_t *f = gp_tables_lookup(pc);
  if (f && f->name) {
    out->func = f->name;
    out->func_off = pc - (uintptr_t)f->addr;
  }
  char path[GP_SYM_PATH_MAX];
  uint64_t off, vaddr;
  sym_object_t *o = NULL;
  if (maps_find(pc, path, sizeof path, &off) && (o = object_get(path)) &&
      file_to_vaddr(o, off, &vaddr)) {
    out->object = o->path;
    out->object_addr = (uintptr_t)vaddr;
    if (!out->func) symtab_lookup(o, vaddr, out);
    line_lookup(o, vaddr, out);
  }
  return out->func || out->file;
}

void gp_symbolize(uintptr_t pc, char *buf, size_t n) {
  gp_symloc_t loc;
  if (gp_symbolize_pc(pc, &loc) && loc.func) {
    size_t len = strlen(loc.func);
    if (len >= n) len = n - 1;
    memcpy(buf, loc.func, len);
    buf[len] = 0;
    return;
  }
  static const char hex[] = "0123456789abcdef";
  char tmp[20];
  int k = 0;
  do tmp[k++] = hex[pc & 15];
  while ((pc >>= 4) && k < (int)sizeof tmp);
  size_t j = 0;
  if (n > 2) buf[j++] = '0', buf[j++] = 'x';
  while (k > 0 && j + 1 < n) buf[j++] = tmp[--k];
  buf[j] = 0;
}

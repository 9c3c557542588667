# gpreempt-gdb.py - gdb support for gpreempt's goroutines (libgmprt).
#
#   info goroutines             every live goroutine: id, state, wait reason,
#                               current frame ('*': running, with its thread)
#   goroutine N bt [full]       a backtrace of goroutine N, parked or running
#   goroutine N <gdb command>   any command in goroutine N's context
#
# Loaded automatically: libgmprt carries this file in its .debug_gdb_scripts
# section (gdb asks that the program be on its auto-load safe-path:
# `set auto-load safe-path /` or `add-auto-load-safe-path DIR` in ~/.gdbinit),
# or by hand: `source tools/gdb/gpreempt-gdb.py`.
#
# How it works (the model is Go's runtime-gdb.py): the runtime keeps every G
# ever created on gp_sched.allg (linked through allnext).  A parked or
# runnable goroutine's registers are the frame gp_ctx_switch left at g->sp
# (runtime/switch_x86_64.S: rbp at sp+48, the return PC at sp+56); to show
# its stack, the command points the selected thread's pc, sp and rbp there,
# lets gdb unwind with the program's CFI, and puts them back.  That needs a
# live process (registers of a core file cannot be changed).  A running
# goroutine is shown from its M's thread.  Needs libgmprt's debug info (the
# default RelWithDebInfo build has it).
import gdb

SWITCH_FRAME_RBP = 48  # keep in sync with runtime/switch_x86_64.S
SWITCH_FRAME_PC = 56
SWITCH_FRAME_SIZE = 64
G_IDLE, G_DEAD, G_WAITING = 0, 4, 3


def _static(name):
    sym = gdb.lookup_static_symbol(name)
    return sym.value() if sym else None


def _gname(table, func, idx, fallback):
    """Name idx from the runtime's table (proc.c), or from its accessor
    function (the compiler may fold the table into it), or the enum's name."""
    try:
        arr = _static(table)
        if arr is not None:
            return arr[idx].string()
    except gdb.error:
        pass  # optimized out: folded into the function
    try:
        fn = gdb.lookup_global_symbol(func)  # by symbol: a name could find a declaration
        return fn.value()(idx).string() if fn else fallback
    except gdb.error:
        return fallback


def _goroutines():
    g = gdb.parse_and_eval("gp_sched")["allg"]
    while int(g) != 0:
        status = int(g["status"])
        if status not in (G_IDLE, G_DEAD):
            yield g
        g = g["allnext"]


def _find(goid):
    for g in _goroutines():
        if int(g["id"]) == goid:
            return g
    return None


def _thread_of(g):
    """The gdb thread running g, or None (parked, runnable, or switching)."""
    m = g["m"]
    if int(m) == 0:
        return None
    tid = int(m["tid"])
    for t in gdb.selected_inferior().threads():
        if t.ptid[1] == tid:
            return t
    return None


def _wait(g):
    if int(g["status"]) != G_WAITING:
        return ""
    why = _gname("waitreason_names", "gp_waitreason_name", int(g["waitreason"]),
                 str(g["waitreason"]))
    if why.startswith("IO wait"):
        why = "%s fd %d" % (why, int(g["io_fd"]))
    return why


class _InGoroutine:
    """Within the block, gdb's selected thread shows goroutine g."""

    def __init__(self, g):
        self.g = g
        self.thread = _thread_of(g)
        self.saved = None
        self.old_thread = gdb.selected_thread()

    def __enter__(self):
        if self.thread is not None:
            self.thread.switch()
            gdb.execute("select-frame 0", to_string=True)
            return self
        sp = int(self.g["sp"])
        if sp == 0:
            raise gdb.GdbError("goroutine %d has no saved context" % int(self.g["id"]))
        ptr = gdb.lookup_type("unsigned long").pointer()
        pc = int(gdb.Value(sp + SWITCH_FRAME_PC).cast(ptr).dereference())
        rbp = int(gdb.Value(sp + SWITCH_FRAME_RBP).cast(ptr).dereference())
        gdb.execute("select-frame 0", to_string=True)
        f = gdb.selected_frame()
        self.saved = (int(f.read_register("rip")), int(f.read_register("rsp")),
                      int(f.read_register("rbp")))
        gdb.execute("set $rbp = %d" % rbp, to_string=True)
        gdb.execute("set $sp = %d" % (sp + SWITCH_FRAME_SIZE), to_string=True)
        gdb.execute("set $pc = %d" % pc, to_string=True)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            pc, sp, rbp = self.saved
            gdb.execute("select-frame 0", to_string=True)
            gdb.execute("set $pc = %d" % pc, to_string=True)
            gdb.execute("set $sp = %d" % sp, to_string=True)
            gdb.execute("set $rbp = %d" % rbp, to_string=True)
            gdb.execute("maintenance flush register-cache", to_string=True)
        if self.old_thread is not None and self.old_thread.is_valid():
            self.old_thread.switch()
        return False


def _runtime_dir():
    sym = gdb.lookup_global_symbol("gp_init")
    if sym is None or sym.symtab is None:
        return None
    path = sym.symtab.fullname()
    return path[: path.rfind("/") + 1]


def _current_frame(g):
    """'func at file:line' of the goroutine's innermost frame outside the runtime."""
    rt = _runtime_dir()
    try:
        with _InGoroutine(g):
            f = gdb.newest_frame()
            first = None
            while f is not None:
                sal = f.find_sal()
                name = f.name() or "??"
                where = "%s at %s:%d" % (name, sal.symtab.filename, sal.line) if sal.symtab else name
                if first is None:
                    first = where
                if not (sal.symtab and rt and sal.symtab.fullname().startswith(rt)):
                    return where
                f = f.older()
            return first or "??"
    except gdb.error as e:
        return "<%s>" % e


class InfoGoroutines(gdb.Command):
    """info goroutines: list the live goroutines (id, state, wait reason, frame)."""

    def __init__(self):
        super().__init__("info goroutines", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        # names first: an inferior call after the register games below
        # reads a stale register cache
        rows = []
        for g in _goroutines():
            status = _gname("gstatus_names", "gp_gstatus_name", int(g["status"]), str(g["status"]))
            rows.append((g, int(g["id"]), status, _wait(g), _thread_of(g)))
        for g, goid, status, wait, t in rows:
            mark = "*" if t is not None else " "
            thread = " (thread %d)" % t.num if t is not None else ""
            print("%s %4d %-9s %-22s %s%s" % (mark, goid, status, wait if wait else "-",
                                               _current_frame(g), thread))


class GoroutineCmd(gdb.Command):
    """goroutine N CMD: run the gdb command CMD (e.g. bt) in goroutine N's context."""

    def __init__(self):
        super().__init__("goroutine", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        parts = arg.split(None, 1)
        if len(parts) != 2 or not parts[0].isdigit():
            raise gdb.GdbError("usage: goroutine N <command>, e.g. goroutine 1 bt")
        g = _find(int(parts[0]))
        if g is None:
            raise gdb.GdbError("no goroutine %s" % parts[0])
        with _InGoroutine(g):
            gdb.execute(parts[1], from_tty)


InfoGoroutines()
GoroutineCmd()

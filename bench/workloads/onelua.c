/* onelua.c: the whole Lua 5.4 interpreter as one translation unit (in the
 * style of Lua's own onelua.c), for the compile-time benchmark.  Compile with
 * -I<lua>/src -DLUA_USE_LINUX. */
#define LUA_CORE
#define LUA_LIB
#define MAKE_LUA
#include "lprefix.h"
#include "luaconf.h"
#define LUAI_FUNC static
#define LUAI_DDEC(dec) static dec
#define LUAI_DDEF static
#include "lzio.c"
#include "lctype.c"
#include "lopcodes.c"
#include "lmem.c"
#include "lundump.c"
#include "ldump.c"
#include "lstate.c"
#include "lgc.c"
#include "llex.c"
#include "lcode.c"
#include "lparser.c"
#include "ldebug.c"
#include "lfunc.c"
#include "lobject.c"
#include "ltm.c"
#include "lstring.c"
#include "ltable.c"
#include "ldo.c"
#include "lvm.c"
#include "lapi.c"
#include "lauxlib.c"
#include "lbaselib.c"
#include "lcorolib.c"
#include "ldblib.c"
#include "liolib.c"
#include "lmathlib.c"
#include "loadlib.c"
#include "loslib.c"
#include "lstrlib.c"
#include "ltablib.c"
#include "lutf8lib.c"
#include "linit.c"
#include "lua.c"

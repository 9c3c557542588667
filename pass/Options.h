//===- Options.h - the per-file toggles, one language for every reader ----===//
//
// Part of gpreempt.  GP_FILE_OPTIONS("..."), the file-scope #pragma gpreempt
// (which becomes the same global), opt's -passes='gpreempt<...>' and
// gpreempt-rewrite's --loops/--entry all spell the toggles the same way:
// "key=value" items separated by ',' or ';', keys loops (on|off|async),
// entry (on|off|auto) and tables (on|off), each at most once (docs/design.md
// section 5).  The pass and the rewriter both parse them here, so one file
// means the same to both.
//
//===----------------------------------------------------------------------===//
#ifndef GPREEMPT_OPTIONS_H
#define GPREEMPT_OPTIONS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

#include <string>

namespace gpreempt {

struct Toggles {
  bool Loops = true;
  bool LoopsAsync = false; // loops=async: leave async-safe loops to the signal
  bool Entry = true;
  bool EntryAuto = false; // entry=auto: only on call-graph cycles etc.
  bool Tables = true;
  bool Verify = false; // "verify" (opt's pipeline text only)

  // Applies Text's items.  With OnlyNarrow (a file's options) a value can
  // never turn on what is off: off beats everything, async and auto narrow
  // on, and on turns async or auto back into every check.  Returns an
  // error naming the bad item, or "".
  std::string parse(llvm::StringRef Text, bool OnlyNarrow) {
    llvm::SmallVector<llvm::StringRef, 4> Items, Split;
    Text.split(Items, ',', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef Item : Items)
      Item.split(Split, ';', -1, /*KeepEmpty=*/false);
    llvm::StringSet<> Seen;
    for (llvm::StringRef Item : Split) {
      auto KV = Item.split('=');
      llvm::StringRef Key = KV.first.trim(), Val = KV.second.trim();
      if (!Key.empty() && !Seen.insert(Key).second)
        return ("key '" + Key + "' given twice").str();
      if (Key == "verify" && Val.empty() && !OnlyNarrow) {
        Verify = true;
        continue;
      }
      bool *Slot = llvm::StringSwitch<bool *>(Key)
                       .Case("loops", &Loops)
                       .Case("entry", &Entry)
                       .Case("tables", &Tables)
                       .Default(nullptr);
      if (!Slot)
        return ("unknown key '" + Key + "' (keys: loops, entry, tables)").str();
      if (Key == "loops" && Val == "async") {
        LoopsAsync = true;
        continue;
      }
      if (Key == "entry" && Val == "auto") {
        EntryAuto = true;
        continue;
      }
      if (Val != "on" && Val != "off")
        return ("bad value '" + Val + "' for key '" + Key +
                "' (values: on, off; loops also async, entry also auto)")
            .str();
      // "on" asks for every check: from a command line always, from a file
      // wherever the command line did not turn the checks off (async and
      // auto are fewer checks, so asking for more is honoured).
      if (Val == "on" && (!OnlyNarrow || *Slot)) {
        if (Key == "loops")
          LoopsAsync = false;
        if (Key == "entry")
          EntryAuto = false;
      }
      *Slot = (OnlyNarrow ? *Slot : true) && Val == "on";
    }
    return "";
  }
};

} // namespace gpreempt

#endif // GPREEMPT_OPTIONS_H

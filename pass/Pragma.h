//===- Pragma.h - #pragma gpreempt, shared by the plugin and the rewriter -===//
//
// Part of gpreempt.  docs/rewrite.md ("#pragma gpreempt") is the user's view.
// Both the Clang plugin in gpreempt.so (pass/Pragma.cpp registers it) and
// gpreempt-rewrite install the same handler and consumer, so the two read a
// pragma identically: a file's options become the GP_FILE_OPTIONS global the
// pass already reads, and regions become the annotations of GP_NO_LOOP_CHECKS
// and GP_NO_ENTRY_CHECK on the functions they enclose.
//
//===----------------------------------------------------------------------===//
#ifndef GPREEMPT_PRAGMA_H
#define GPREEMPT_PRAGMA_H

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>

namespace gpreempt {

// Annotations of include/gpreempt.h's macros (the pass reads the same ones).
extern const char *const kAnnNoPreempt;
extern const char *const kAnnNoLoops;
extern const char *const kAnnNoEntry;
// The global GP_FILE_OPTIONS defines.
extern const char *const kFileOptionsVar;

// Installs the "#pragma gpreempt" handler on CI's preprocessor and returns
// the consumer that applies regions to function definitions.  It must see
// each top-level declaration before code generation does (the plugin runs
// as AddBeforeMainAction).
std::unique_ptr<clang::ASTConsumer> createPragmaConsumer(clang::CompilerInstance &CI);

} // namespace gpreempt

#endif // GPREEMPT_PRAGMA_H

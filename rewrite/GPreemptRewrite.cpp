//===- GPreemptRewrite.cpp - gpreempt's checks as C source ----------------===//
//
// Part of gpreempt.  gpreempt-rewrite: a libTooling tool that writes the
// pass's preemption checks into C sources, so that any C11 compiler (gcc)
// builds instrumented code and a reviewer sees every check.  docs/rewrite.md
// is the user's manual; include/gpreempt_check.h defines what is inserted.
//
// Mechanism.  Each main file is parsed with its compile command (-p build/),
// with the same #pragma gpreempt handler as the Clang plugin (pass/Pragma.cpp),
// so pragmas, GP_FILE_OPTIONS and the GP_* annotations arrive as the pass
// sees them.  Then, as the pass does, collect first and mutate after:
//   1. classify every function defined in the main file: no checks (naked,
//      GP_NOPREEMPT), a prologue check or why not (entry off, GP_NO_ENTRY_CHECK,
//      quick leaf), loop checks on or off;
//   2. decide each loop (elided: every iteration calls a function of this
//      file that checks on entry, or a constant trip count of at most
//      --loop-max-trips in an innermost call-free loop), each backward and
//      computed goto;
//   3. edit the original buffer with Clang's Rewriter: insertions only, never
//      a new line except the #include of gpreempt_check.h (followed by a
//      #line directive, so every original line keeps its number), never
//      inside a macro's expansion.
// Every decision is a remark in clang's format (-Rpass=gpreempt,
// -Rpass-missed=gpreempt), with the pass's names and wording.
//
// Where a check goes:
//   prologue     GP_ENTRY_CHECK(); right after the body's '{' (declarations
//                only, so C90 code stays valid)
//   loop         GP_LOOP_CHECK(); before the body's closing '}' (a body that
//                is a single statement is braced), and before each
//                'continue' of that loop ({ GP_LOOP_CHECK(); continue; })
//   goto         before a goto whose label comes earlier in the function,
//                and before every computed goto
// Every CFG cycle of a C function contains a backward jump in source order:
// a loop's back edge, a backward goto, or a computed goto; so every cycle
// passes a check, as the pass guarantees on IR.  Where the place is inside a
// macro's expansion the fallback is reported: a 'continue' in a macro moves
// the loop's check to the top of its body (every path of an iteration passes
// there); a backward goto in a macro gets its check after the target label;
// a whole loop inside a macro gets a check before the statement that expands
// it (the loop itself is then not preemptible, and the remark says so).
//
// Idempotence: a place that already holds one of gpreempt_check.h's macros
// is left alone, and the #include is added only when GP_LOOP_CHECK is not
// yet defined; a second run changes nothing.
//
// Safe-point tables: none (decided, docs/rewrite.md).  The preemption signal
// treats PCs it finds in no table as unsafe, so rewritten code is preempted
// by its checks only; loops(async) therefore keeps every loop check.
//
// Alternatives rejected: a check at the top of every loop body (simpler, no
// 'continue' handling, but not where the pass puts it and it changes the
// count of checks on a loop's last iteration); emitting tables per file
// (each function would need an attribute placing it in the module's section,
// an edit of every declaration, for a signal that C compilers other than
// clang cannot make safe anyway: no safe-point knowledge of their code).
//
//===----------------------------------------------------------------------===//

#include "Options.h"
#include "Pragma.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <vector>

using namespace clang;
using namespace clang::tooling;
using namespace llvm;

#ifndef GP_INCLUDE_DIR
#error "GP_INCLUDE_DIR (the directory of gpreempt_check.h) must be defined"
#endif

// What gpreempt_check.h defines (the tool writes these names).
static const char *const kEntryMacro = "GP_ENTRY_CHECK";
static const char *const kRecordMacro = "GP_FUNC_RECORD";
static const char *const kLoopMacro = "GP_LOOP_CHECK";
static const char *const kCheckHeader = "gpreempt_check.h";
// Unchecked leaves run below the caller's checked SP: the pass's bound.
static const uint64_t kLeafMaxFrameBytes = 1024;

static cl::OptionCategory Category("gpreempt-rewrite options");
static cl::extrahelp CommonHelp(CommonOptionsParser::HelpMessage);
static cl::extrahelp MoreHelp(
    "\nWrites the output to stdout unless -i, -o or --diff is given.\n"
    "docs/rewrite.md describes what is inserted and why.\n");

static cl::opt<bool> InPlace("i", cl::desc("Rewrite the files in place"),
                             cl::cat(Category));
static cl::opt<std::string>
    OutDir("o", cl::desc("Write each rewritten file under <dir> (its path "
                         "relative to the current directory, or its absolute "
                         "path, below <dir>)"),
           cl::value_desc("dir"), cl::cat(Category));
static cl::opt<bool> Diff("diff",
                          cl::desc("Print a unified diff of what -i would "
                                   "change (needs diff(1)); write nothing"),
                          cl::cat(Category));
static cl::opt<bool> AllFiles("all",
                              cl::desc("Rewrite every file of the compilation "
                                       "database (-p)"),
                              cl::cat(Category));
static cl::opt<std::string>
    RPass("Rpass", cl::desc("Report the checks inserted (as clang's "
                            "-Rpass=gpreempt)"),
          cl::value_desc("regex"), cl::cat(Category));
static cl::opt<std::string>
    RPassMissed("Rpass-missed",
                cl::desc("Report the checks not inserted and why (as "
                         "clang's -Rpass-missed=gpreempt)"),
                cl::value_desc("regex"), cl::cat(Category));
static cl::opt<std::string>
    LoopsOpt("loops", cl::init("on"),
             cl::desc("Loop back-edge checks: on, off or async (as "
                      "-gpreempt-loops; files narrow it)"),
             cl::cat(Category));
static cl::opt<std::string>
    EntryOpt("entry", cl::init("on"),
             cl::desc("Prologue checks: on or off (as -gpreempt-entry); auto "
                      "acts as on: the rewriter sees one file, not the call "
                      "graph entry=auto needs"),
             cl::cat(Category));
static cl::opt<unsigned> LeafMaxNodes(
    "leaf-max-nodes", cl::init(1000),
    cl::desc("Leaf functions (no calls, no loops) of at most this many AST "
             "nodes get no prologue check (the pass counts IR instructions: "
             "-gpreempt-leaf-max-insts)"),
    cl::cat(Category));
static cl::opt<unsigned> LoopMaxTrips(
    "loop-max-trips", cl::init(64),
    cl::desc("Innermost call-free loops with a constant trip count of at "
             "most this get no back-edge check (as -gpreempt-loop-max-trips)"),
    cl::cat(Category));

namespace {

enum RemarkKind { RemarkPass, RemarkMissed };

struct LoopNode;

// A place that may need a check wrapped around it (continue, goto).
struct Jump {
  Stmt *S;
  Stmt *Prev; // the statement before it in its compound, or null
};

struct LoopNode {
  Stmt *S = nullptr; // ForStmt, WhileStmt, DoStmt
  LoopNode *Parent = nullptr;
  std::vector<LoopNode *> Children;
  std::vector<Jump> Continues;
  bool HasCall = false;  // a real call in init, cond, inc or body
  bool HasJumps = false; // a goto or label inside: not a simple loop
  // The statement of a compound written in the file (not by a macro) that
  // holds the loop, and the statement before that one.
  Stmt *TopStmt = nullptr;
  Stmt *TopPrev = nullptr;
};

struct FuncPlan {
  FunctionDecl *FD = nullptr;
  CompoundStmt *Body = nullptr;
  bool Instrument = true;
  bool EntryCheck = false;
  bool LoopsOn = false;
  bool Weak = false;
  // Collected.
  std::vector<std::unique_ptr<LoopNode>> Loops;
  std::vector<Jump> Gotos; // backward gotos and computed gotos
  std::vector<LabelStmt *> Labels;
  unsigned Nodes = 0;
  bool HasCall = false;
  bool HasVLA = false;
  uint64_t LocalBytes = 0;
};

// The name of the outermost macro whose expansion holds L: the identifier
// written at L's expansion location.
std::string outermostMacro(SourceLocation L, const SourceManager &SM,
                           const LangOptions &LO) {
  if (!L.isMacroID())
    return "";
  SourceLocation E = SM.getExpansionLoc(L);
  unsigned Len = Lexer::MeasureTokenLength(E, SM, LO);
  bool Invalid = false;
  const char *P = SM.getCharacterData(E, &Invalid);
  return Invalid ? "" : std::string(P, Len);
}

bool startsWith(StringRef S, StringRef Prefix) {
  return S.size() >= Prefix.size() && S.substr(0, Prefix.size()) == Prefix;
}

class Instrumenter : public ASTConsumer {
public:
  Instrumenter(CompilerInstance &CI, std::string &Out, bool &Changed, bool &Ok)
      : CI(CI), SM(CI.getSourceManager()), LO(CI.getLangOpts()), Out(Out),
        Changed(Changed), Ok(Ok) {}

  void HandleTranslationUnit(ASTContext &Ctx) override;

private:
  // Remarks and diagnostics.
  void remark(RemarkKind K, SourceLocation L, const std::string &Name,
              const std::string &Msg);
  void warn(SourceLocation L, const std::string &Msg);

  // Collecting.
  void readOptions(ASTContext &Ctx);
  void collect(FuncPlan &P, Stmt *S, LoopNode *ContLoop, LoopNode *CallLoop,
               Stmt *Prev, Stmt *Top, Stmt *TopPrev);
  bool isRealCall(const CallExpr *CE) const;
  bool isOurs(const Stmt *S) const;
  void classify(FuncPlan &P);
  bool quickLeaf(const FuncPlan &P, std::string &Why) const;
  const char *elisionReason(FuncPlan &P, LoopNode &L);
  bool callsCheckedFunction(const Expr *E) const;
  bool shortConstantLoop(FuncPlan &P, LoopNode &L) const;
  bool neverRepeats(FuncPlan &P, LoopNode &L) const;

  // Mutating.
  void plan(FuncPlan &P);
  void planLoop(FuncPlan &P, LoopNode &L, unsigned &Checks);
  bool wrapStatement(Stmt *S, const char *Before, const char *After);
  bool insertAt(SourceLocation L, const std::string &Text, bool After);
  SourceLocation fileLoc(SourceLocation L) const;
  void addInclude(FuncPlan &First);

  CompilerInstance &CI;
  SourceManager &SM;
  const LangOptions &LO;
  std::string &Out;
  bool &Changed;
  bool &Ok;
  Rewriter RW;
  gpreempt::Toggles Opts;
  std::vector<std::unique_ptr<FuncPlan>> Funcs;
  DenseMap<const FunctionDecl *, FuncPlan *> PlanOf;
  unsigned Edits = 0;
};

void Instrumenter::remark(RemarkKind K, SourceLocation L,
                          const std::string &Name, const std::string &Msg) {
  const std::string &Filter = K == RemarkPass ? RPass : RPassMissed;
  if (Filter.empty() || !Regex(Filter).match("gpreempt"))
    return;
  DiagnosticsEngine &D = CI.getDiagnostics();
  // The pass's wording; Name is its remark name (-fsave-optimization-record).
  (void)Name;
  unsigned ID = D.getCustomDiagID(DiagnosticsEngine::Remark, "%0 [%1]");
  D.Report(L, ID) << Msg << (K == RemarkPass ? "-Rpass=gpreempt" : "-Rpass-missed=gpreempt");
}

void Instrumenter::warn(SourceLocation L, const std::string &Msg) {
  DiagnosticsEngine &D = CI.getDiagnostics();
  D.Report(L, D.getCustomDiagID(DiagnosticsEngine::Warning, "gpreempt-rewrite: %0"))
      << Msg;
}

// Command line, then GP_FILE_OPTIONS / the file's #pragma (the pragma
// handler turned it into the same global): a file can only narrow.
void Instrumenter::readOptions(ASTContext &Ctx) {
  std::string Err =
      Opts.parse("loops=" + LoopsOpt + ",entry=" + EntryOpt, /*OnlyNarrow=*/false);
  if (!Err.empty()) {
    errs() << "gpreempt-rewrite: --loops/--entry: " << Err << "\n";
    Ok = false;
    return;
  }
  for (NamedDecl *ND : Ctx.getTranslationUnitDecl()->lookup(
           &Ctx.Idents.get(gpreempt::kFileOptionsVar))) {
    auto *VD = dyn_cast<VarDecl>(ND);
    const Expr *Init = VD ? VD->getInit() : nullptr;
    const auto *SL =
        Init ? dyn_cast<clang::StringLiteral>(Init->IgnoreParenImpCasts()) : nullptr;
    if (!SL || SL->getCharByteWidth() != 1) {
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(ND->getLocation(),
               D.getCustomDiagID(DiagnosticsEngine::Error,
                                 "gpreempt: GP_FILE_OPTIONS must be a string literal"));
      Ok = false;
      continue;
    }
    Err = Opts.parse(SL->getString(), /*OnlyNarrow=*/true);
    if (!Err.empty()) {
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(ND->getLocation(),
               D.getCustomDiagID(DiagnosticsEngine::Error,
                                 "gpreempt: GP_FILE_OPTIONS: %0"))
          << Err;
      Ok = false;
    }
  }
}

bool Instrumenter::isRealCall(const CallExpr *CE) const {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee)
    return true;
  unsigned ID = Callee->getBuiltinID();
  // __builtin_expect and friends are not calls; memcpy and other library
  // builtins may well become one.
  return ID == 0 ||
         Callee->getASTContext().BuiltinInfo.isLibFunction(ID) ||
         startsWith(Callee->getName(), "__builtin_mem") ||
         startsWith(Callee->getName(), "__builtin_str");
}

// A statement that one of gpreempt_check.h's macros expanded to.
bool Instrumenter::isOurs(const Stmt *S) const {
  if (!S || !S->getBeginLoc().isMacroID())
    return false;
  std::string M = outermostMacro(S->getBeginLoc(), SM, LO);
  return M == kEntryMacro || M == kRecordMacro || M == kLoopMacro;
}

void Instrumenter::collect(FuncPlan &P, Stmt *S, LoopNode *ContLoop,
                           LoopNode *CallLoop, Stmt *Prev, Stmt *Top,
                           Stmt *TopPrev) {
  if (!S)
    return;
  ++P.Nodes;
  if (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S)) {
    P.Loops.push_back(std::make_unique<LoopNode>());
    LoopNode *L = P.Loops.back().get();
    L->S = S;
    L->Parent = ContLoop;
    L->TopStmt = Top;
    L->TopPrev = TopPrev;
    if (ContLoop)
      ContLoop->Children.push_back(L);
    Stmt *Body = nullptr;
    if (auto *F = dyn_cast<ForStmt>(S)) {
      collect(P, F->getInit(), ContLoop, L, nullptr, Top, TopPrev);
      collect(P, F->getCond(), ContLoop, L, nullptr, Top, TopPrev);
      collect(P, F->getInc(), ContLoop, L, nullptr, Top, TopPrev);
      Body = F->getBody();
    } else if (auto *W = dyn_cast<WhileStmt>(S)) {
      collect(P, W->getCond(), ContLoop, L, nullptr, Top, TopPrev);
      Body = W->getBody();
    } else {
      auto *D = cast<DoStmt>(S);
      collect(P, D->getCond(), ContLoop, L, nullptr, Top, TopPrev);
      Body = D->getBody();
    }
    collect(P, Body, L, L, nullptr, Top, TopPrev);
    return;
  }
  auto MarkLoops = [&](LoopNode *From, bool Call) {
    for (LoopNode *L = From; L; L = L->Parent)
      (Call ? L->HasCall : L->HasJumps) = true;
  };
  if (auto *CE = dyn_cast<CallExpr>(S)) {
    if (isRealCall(CE)) {
      P.HasCall = true;
      MarkLoops(CallLoop, true);
    }
  } else if (isa<ContinueStmt>(S)) {
    if (ContLoop)
      ContLoop->Continues.push_back({S, Prev});
  } else if (auto *G = dyn_cast<GotoStmt>(S)) {
    MarkLoops(CallLoop, false);
    LabelStmt *Target = G->getLabel()->getStmt();
    if (Target && !SM.isBeforeInTranslationUnit(fileLoc(G->getGotoLoc()),
                                                fileLoc(Target->getIdentLoc())))
      P.Gotos.push_back({S, Prev});
  } else if (isa<IndirectGotoStmt>(S)) {
    MarkLoops(CallLoop, false);
    P.Gotos.push_back({S, Prev});
  } else if (auto *LS = dyn_cast<LabelStmt>(S)) {
    MarkLoops(CallLoop, false);
    P.Labels.push_back(LS);
  } else if (auto *DS = dyn_cast<DeclStmt>(S)) {
    for (Decl *D : DS->decls())
      if (auto *VD = dyn_cast<VarDecl>(D)) {
        if (!VD->hasLocalStorage())
          continue;
        QualType T = VD->getType();
        if (T->isVariablyModifiedType())
          P.HasVLA = true;
        else if (!T->isIncompleteType() && !T->isDependentType())
          P.LocalBytes += VD->getASTContext().getTypeSizeInChars(T).getQuantity();
      }
  } else if (isa<LambdaExpr>(S) || isa<BlockExpr>(S)) {
    return; // a function of its own
  }
  if (auto *CS = dyn_cast<CompoundStmt>(S)) {
    Stmt *Before = nullptr;
    bool InFile = !CS->getLBracLoc().isMacroID();
    for (Stmt *Child : CS->body()) {
      collect(P, Child, ContLoop, CallLoop, Before, InFile ? Child : Top,
              InFile ? Before : TopPrev);
      Before = Child;
    }
    return;
  }
  if (auto *LS = dyn_cast<LabelStmt>(S)) {
    collect(P, LS->getSubStmt(), ContLoop, CallLoop, Prev, Top, TopPrev);
    return;
  }
  for (Stmt *Child : S->children())
    collect(P, Child, ContLoop, CallLoop, nullptr, Top, TopPrev);
}

bool Instrumenter::quickLeaf(const FuncPlan &P, std::string &Why) const {
  if (!P.Loops.empty() || !P.Gotos.empty() || P.HasCall || P.HasVLA ||
      P.LocalBytes > kLeafMaxFrameBytes || P.Nodes > LeafMaxNodes)
    return false;
  Why = "leaf function of " + std::to_string(P.Nodes) +
        " AST nodes with no calls and no loops";
  return true;
}

// The pass's classify(), on the AST.
void Instrumenter::classify(FuncPlan &P) {
  FunctionDecl *FD = P.FD;
  std::string Name = FD->getNameAsString();
  SourceLocation Loc = FD->getLocation();
  unsigned Ann = 0;
  for (const auto *A : FD->specific_attrs<AnnotateAttr>()) {
    if (A->getAnnotation() == gpreempt::kAnnNoPreempt)
      Ann |= 1;
    else if (A->getAnnotation() == gpreempt::kAnnNoLoops)
      Ann |= 2;
    else if (A->getAnnotation() == gpreempt::kAnnNoEntry)
      Ann |= 4;
  }
  P.Weak = FD->hasAttr<WeakAttr>() ||
           (FD->isInlineSpecified() && FD->getStorageClass() != SC_Static);
  if (FD->hasAttr<NakedAttr>()) {
    P.Instrument = false;
    remark(RemarkMissed, Loc, "Naked",
           "no checks in naked function " + Name + ": it has no frame to check in");
    return;
  }
  if (Ann & 1) {
    P.Instrument = false;
    remark(RemarkMissed, Loc, "NoPreempt",
           "no checks in " + Name + ": marked GP_NOPREEMPT");
    return;
  }
  P.LoopsOn = Opts.Loops && !(Ann & 2);
  std::string Why;
  if (!Opts.Entry)
    remark(RemarkMissed, Loc, "EntryOff",
           "no prologue check in " + Name +
               ": prologue checks are off (--entry, GP_FILE_OPTIONS or "
               "#pragma gpreempt)");
  else if (Ann & 4)
    remark(RemarkMissed, Loc, "NoEntryCheck",
           "no prologue check in " + Name + ": marked GP_NO_ENTRY_CHECK or in "
                                            "a '#pragma gpreempt entry(off)' region");
  else if (quickLeaf(P, Why))
    remark(RemarkMissed, Loc, "QuickLeaf", "no prologue check in " + Name + ": " + Why);
  else
    P.EntryCheck = true;
}

// A call that is evaluated whenever E is: not behind &&, || or ?:.
bool Instrumenter::callsCheckedFunction(const Expr *E) const {
  if (!E)
    return false;
  E = E->IgnoreParenCasts();
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (Callee) {
      const FunctionDecl *Def = Callee->getDefinition();
      auto It = Def ? PlanOf.find(Def) : PlanOf.end();
      if (It != PlanOf.end() && It->second->EntryCheck && !It->second->Weak)
        return true;
    }
    for (const Expr *Arg : CE->arguments())
      if (callsCheckedFunction(Arg))
        return true;
    return false;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isLogicalOp())
      return callsCheckedFunction(BO->getLHS());
    return callsCheckedFunction(BO->getLHS()) || callsCheckedFunction(BO->getRHS());
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E))
    return callsCheckedFunction(CO->getCond());
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return callsCheckedFunction(UO->getSubExpr());
  return false;
}

// for (i = C1; i <op> C2; i++ / i-- / i += C3 / i -= C3) with i untouched in
// the body, innermost, call-free, no goto or label inside.
bool Instrumenter::shortConstantLoop(FuncPlan &P, LoopNode &L) const {
  auto *F = dyn_cast<ForStmt>(L.S);
  if (!F || !L.Children.empty() || L.HasCall || L.HasJumps)
    return false;
  ASTContext &Ctx = P.FD->getASTContext();
  const VarDecl *IV = nullptr;
  Expr::EvalResult R;
  int64_t Start, End, Step;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(F->getInit())) {
    if (!DS->isSingleDecl())
      return false;
    IV = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (!IV || !IV->getInit() || !IV->getInit()->EvaluateAsInt(R, Ctx))
      return false;
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(F->getInit())) {
    const auto *DR = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
    if (BO->getOpcode() != BO_Assign || !DR || !BO->getRHS()->EvaluateAsInt(R, Ctx))
      return false;
    IV = dyn_cast<VarDecl>(DR->getDecl());
  }
  if (!IV || !IV->getType()->isIntegerType())
    return false;
  Start = R.Val.getInt().getExtValue();
  auto IsIV = [&](const Expr *E) {
    const auto *DR = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DR && DR->getDecl() == IV;
  };
  const auto *C = dyn_cast_or_null<BinaryOperator>(F->getCond());
  if (!C || !IsIV(C->getLHS()) || !C->getRHS()->EvaluateAsInt(R, Ctx))
    return false;
  End = R.Val.getInt().getExtValue();
  const Stmt *Inc = F->getInc();
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(Inc)) {
    if (!IsIV(U->getSubExpr()) || !U->isIncrementDecrementOp())
      return false;
    Step = U->isIncrementOp() ? 1 : -1;
  } else if (const auto *CA = dyn_cast_or_null<CompoundAssignOperator>(Inc)) {
    if (!IsIV(CA->getLHS()) || !CA->getRHS()->EvaluateAsInt(R, Ctx))
      return false;
    Step = R.Val.getInt().getExtValue();
    if (CA->getOpcode() == BO_SubAssign)
      Step = -Step;
    else if (CA->getOpcode() != BO_AddAssign)
      return false;
  } else {
    return false;
  }
  int64_t Trips;
  switch (C->getOpcode()) {
  case BO_LT: Trips = Step > 0 ? (End - Start + Step - 1) / Step : -1; break;
  case BO_LE: Trips = Step > 0 ? (End - Start) / Step + 1 : -1; break;
  case BO_GT: Trips = Step < 0 ? (Start - End - Step - 1) / -Step : -1; break;
  case BO_GE: Trips = Step < 0 ? (Start - End) / -Step + 1 : -1; break;
  case BO_NE:
    Trips = (Step != 0 && (End - Start) % Step == 0) ? (End - Start) / Step : -1;
    break;
  default: return false;
  }
  if (Trips <= 0 || (uint64_t)Trips > LoopMaxTrips)
    return false;
  // The body must not write the induction variable or take its address.
  bool Touched = false;
  std::function<void(const Stmt *)> Scan = [&](const Stmt *S) {
    if (!S || Touched)
      return;
    if (const auto *U = dyn_cast<UnaryOperator>(S))
      if ((U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf) &&
          IsIV(U->getSubExpr()))
        Touched = true;
    if (const auto *B = dyn_cast<BinaryOperator>(S))
      if (B->isAssignmentOp() && IsIV(B->getLHS()))
        Touched = true;
    for (const Stmt *Ch : S->children())
      Scan(Ch);
  };
  Scan(F->getBody());
  return !Touched;
}

// A loop whose condition is the constant 0 (do { ... } while (0) in a
// macro) has no back edge; in IR it is no loop at all.
bool Instrumenter::neverRepeats(FuncPlan &P, LoopNode &L) const {
  const Expr *Cond = isa<ForStmt>(L.S)     ? cast<ForStmt>(L.S)->getCond()
                     : isa<WhileStmt>(L.S) ? cast<WhileStmt>(L.S)->getCond()
                                           : cast<DoStmt>(L.S)->getCond();
  bool Value = true;
  return Cond && !Cond->isValueDependent() &&
         Cond->EvaluateAsBooleanCondition(Value, P.FD->getASTContext()) && !Value;
}

// Why loop L needs no check, or null (the pass's loopElisionReason).
const char *Instrumenter::elisionReason(FuncPlan &P, LoopNode &L) {
  // (b) Every iteration calls a function of this file that checks on entry:
  // in the condition or increment, or in a statement of the body that no
  // 'continue', label or goto can bypass.
  const Expr *Cond = nullptr, *Inc = nullptr;
  Stmt *Body = nullptr;
  if (auto *F = dyn_cast<ForStmt>(L.S)) {
    Cond = F->getCond();
    Inc = F->getInc();
    Body = F->getBody();
  } else if (auto *W = dyn_cast<WhileStmt>(L.S)) {
    Cond = W->getCond();
    Body = W->getBody();
  } else {
    auto *D = cast<DoStmt>(L.S);
    Cond = D->getCond();
    Body = D->getBody();
  }
  if (callsCheckedFunction(Cond) || callsCheckedFunction(Inc))
    return "every iteration calls a function with a prologue check";
  std::vector<Stmt *> Stmts;
  if (auto *CS = dyn_cast<CompoundStmt>(Body))
    Stmts.assign(CS->body_begin(), CS->body_end());
  else
    Stmts.push_back(Body);
  if (!L.HasJumps) {
    for (Stmt *S : Stmts) {
      if (isa<ContinueStmt>(S) || isa<SwitchCase>(S))
        break;
      if (auto *E = dyn_cast<Expr>(S)) {
        if (callsCheckedFunction(E))
          return "every iteration calls a function with a prologue check";
      } else if (auto *DS = dyn_cast<DeclStmt>(S)) {
        for (Decl *D : DS->decls())
          if (auto *VD = dyn_cast<VarDecl>(D))
            if (callsCheckedFunction(VD->getInit()))
              return "every iteration calls a function with a prologue check";
      } else if (auto *R = dyn_cast<ReturnStmt>(S)) {
        (void)R;
        break;
      }
      // Any other statement may hold a 'continue' of this loop.
      bool MayContinue = false;
      for (const Jump &J : L.Continues)
        if (!SM.isBeforeInTranslationUnit(fileLoc(J.S->getBeginLoc()),
                                          fileLoc(S->getBeginLoc())) &&
            !SM.isBeforeInTranslationUnit(fileLoc(S->getEndLoc()),
                                          fileLoc(J.S->getBeginLoc())))
          MayContinue = true;
      if (MayContinue)
        break;
    }
  }
  // (a) Short: a constant trip count of at most --loop-max-trips.
  if (shortConstantLoop(P, L))
    return "constant trip count at most --loop-max-trips";
  return nullptr;
}

SourceLocation Instrumenter::fileLoc(SourceLocation L) const {
  return SM.getExpansionLoc(L);
}

bool Instrumenter::insertAt(SourceLocation L, const std::string &Text, bool After) {
  if (L.isInvalid() || L.isMacroID() || !SM.isInMainFile(L))
    return false;
  RW.InsertText(L, Text, After);
  ++Edits;
  return true;
}

// Inserts Before ahead of S and After behind it (and behind its ';'), or
// nothing when either end is inside a macro's expansion.
bool Instrumenter::wrapStatement(Stmt *S, const char *Before, const char *After) {
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(S->getSourceRange()), SM, LO);
  if (R.isInvalid() || !SM.isInMainFile(R.getBegin()))
    return false;
  SourceLocation End = R.getEnd();
  if (!isa<NullStmt>(S)) {
    SourceLocation LastTok = Lexer::GetBeginningOfToken(End.getLocWithOffset(-1), SM, LO);
    SourceLocation AfterSemi =
        Lexer::findLocationAfterToken(LastTok, tok::semi, SM, LO, false);
    if (AfterSemi.isValid())
      End = AfterSemi;
  }
  RW.InsertText(R.getBegin(), Before, /*InsertAfter=*/false);
  RW.InsertText(End, After, /*InsertAfter=*/true);
  Edits += 2;
  return true;
}

void Instrumenter::planLoop(FuncPlan &P, LoopNode &L, unsigned &Checks) {
  for (LoopNode *Child : L.Children)
    planLoop(P, *Child, Checks);
  SourceLocation Loc = fileLoc(L.S->getBeginLoc());
  std::string Fn = P.FD->getNameAsString();
  if (neverRepeats(P, L))
    return; // do { } while (0) and the like: no back edge at all
  if (const char *Why = elisionReason(P, L)) {
    remark(RemarkMissed, Loc, "BackedgeElided",
           "no back-edge check in loop of " + Fn + ": " + Why);
    return;
  }
  Stmt *Body = isa<ForStmt>(L.S)   ? cast<ForStmt>(L.S)->getBody()
               : isa<WhileStmt>(L.S) ? cast<WhileStmt>(L.S)->getBody()
                                     : cast<DoStmt>(L.S)->getBody();
  auto *CS = dyn_cast<CompoundStmt>(Body);
  if (CS && !CS->body_empty() && (isOurs(CS->body_back()) || isOurs(CS->body_front()))) {
    ++Checks; // a previous run's check
    return;
  }
  std::string Check = std::string(kLoopMacro) + "(); ";
  // The whole loop inside a macro's expansion: check before the statement
  // that expands it.
  bool BodyInMacro = CS ? CS->getRBracLoc().isMacroID() || CS->getLBracLoc().isMacroID()
                        : Lexer::makeFileCharRange(
                              CharSourceRange::getTokenRange(Body->getSourceRange()),
                              SM, LO)
                              .isInvalid();
  if (BodyInMacro) {
    std::string M = outermostMacro(Body->getBeginLoc(), SM, LO);
    if (isOurs(L.TopPrev)) {
      ++Checks;
      return;
    }
    Stmt *Top = L.TopStmt;
    CharSourceRange TR =
        Top ? Lexer::makeFileCharRange(
                  CharSourceRange::getTokenRange(Top->getSourceRange()), SM, LO)
            : CharSourceRange();
    if (TR.isValid() && insertAt(TR.getBegin(), Check, false)) {
      ++Checks;
      warn(Loc, "loop in the expansion of macro '" + M + "' in " + Fn +
                    " has no back-edge check (the tool never edits a macro's "
                    "expansion); a check precedes the statement that expands it");
    } else {
      warn(Loc, "loop in the expansion of macro '" + M + "' in " + Fn +
                    " has no back-edge check (the tool never edits a macro's "
                    "expansion), and no place before it was found");
    }
    return;
  }

  // 'continue': a check before each; one inside a macro moves the loop's
  // check to the top of the body instead.
  bool ContinueInMacro = false;
  for (const Jump &J : L.Continues) {
    if (isOurs(J.Prev))
      continue;
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(J.S->getSourceRange()), SM, LO);
    if (R.isInvalid())
      ContinueInMacro = true;
  }
  if (ContinueInMacro && CS) {
    insertAt(CS->getLBracLoc().getLocWithOffset(1), " " + Check, false);
    ++Checks;
    remark(RemarkPass, Loc, "BackedgeCheck",
           "back-edge check in " + Fn +
               " at the top of the loop body: a 'continue' of this loop is "
               "inside a macro's expansion");
    return;
  }
  for (const Jump &J : L.Continues)
    if (!isOurs(J.Prev))
      wrapStatement(J.S, ("{ " + Check).c_str(), " }");
  if (CS) {
    insertAt(CS->getRBracLoc(), Check, true);
  } else if (!wrapStatement(Body, "{ ", (" " + Check + "}").c_str())) {
    warn(Loc, "loop body in " + Fn + " could not be edited; no back-edge check");
    return;
  }
  ++Checks;
  remark(RemarkPass, Loc, "BackedgeCheck", "back-edge check in " + Fn);
}

void Instrumenter::plan(FuncPlan &P) {
  FunctionDecl *FD = P.FD;
  std::string Fn = FD->getNameAsString();
  SourceLocation Loc = FD->getLocation();
  unsigned Checks = 0;
  bool HasCycles = !P.Loops.empty() || !P.Gotos.empty();
  if (HasCycles && !P.LoopsOn) {
    remark(RemarkMissed, Loc, "LoopsOff",
           "no back-edge checks in " + Fn +
               ": loop checks are off (--loops, GP_FILE_OPTIONS, #pragma "
               "gpreempt or GP_NO_LOOP_CHECKS)");
  } else if (HasCycles) {
    if (Opts.LoopsAsync)
      remark(RemarkPass, Loc, "LoopsAsync",
             "loops(async) keeps the back-edge checks of " + Fn +
                 ": rewritten code has no safe-point tables, so the "
                 "preemption signal cannot preempt it");
    // Gotos first: a loop body's braces must enclose a goto's.
    for (const Jump &J : P.Gotos) {
      if (isOurs(J.Prev)) {
        ++Checks;
        continue;
      }
      SourceLocation GL = fileLoc(J.S->getBeginLoc());
      std::string Check = std::string(kLoopMacro) + "(); ";
      if (wrapStatement(J.S, ("{ " + Check).c_str(), " }")) {
        ++Checks;
        remark(RemarkPass, GL, "BackedgeCheck",
               "back-edge check in " + Fn + " (irreducible cycle)");
        continue;
      }
      auto *G = dyn_cast<GotoStmt>(J.S);
      LabelStmt *Target = G ? G->getLabel()->getStmt() : nullptr;
      if (Target && !isOurs(Target->getSubStmt()) &&
          insertAt(fileLoc(Target->getSubStmt()->getBeginLoc()), Check, false)) {
        ++Checks;
        remark(RemarkPass, GL, "BackedgeCheck",
               "back-edge check in " + Fn + " after label '" +
                   Target->getName() + "': the goto is inside a macro's expansion");
      } else if (Target && isOurs(Target->getSubStmt())) {
        ++Checks;
      } else {
        warn(GL, "computed goto in " + Fn + " is inside a macro's expansion: "
                 "this cycle has no check");
      }
    }
    for (auto &L : P.Loops)
      if (!L->Parent)
        planLoop(P, *L, Checks);
  }

  CompoundStmt *Body = P.Body;
  bool Done = !Body->body_empty() && isOurs(Body->body_front());
  if (P.EntryCheck) {
    remark(RemarkPass, Loc, "PrologueCheck", "prologue check in " + Fn);
    if (!Done)
      insertAt(Body->getLBracLoc().getLocWithOffset(1),
               std::string(" ") + kEntryMacro + "();", false);
  } else if (Checks && !Done) {
    insertAt(Body->getLBracLoc().getLocWithOffset(1),
             std::string(" ") + kRecordMacro + "();", false);
  }
}

// Before the first instrumented function, on a line of its own, then a
// #line directive so that the lines below keep their numbers (and, outside
// -i, name the original file).
void Instrumenter::addInclude(FuncPlan &First) {
  if (CI.getPreprocessor().isMacroDefined(kLoopMacro))
    return;
  SourceLocation Begin = fileLoc(First.FD->getSourceRange().getBegin());
  FileID FID;
  unsigned Offset;
  std::tie(FID, Offset) = SM.getDecomposedLoc(Begin);
  StringRef Buf = SM.getBufferData(FID);
  size_t LineStart = Buf.rfind('\n', Offset); // searches before Offset
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  // At the start of the definition's line (before attributes or another
  // declaration written there), unless the line starts inside a comment
  // that ends before the definition: then right after that comment, on
  // lines of their own.
  StringRef Before = Buf.substr(LineStart, Offset - LineStart);
  size_t CommentEnd = Before.rfind("*/");
  bool OwnLine = CommentEnd == StringRef::npos ||
                 Before.substr(0, CommentEnd).contains("/*");
  SourceLocation At = SM.getComposedLoc(
      FID, OwnLine ? LineStart : LineStart + CommentEnd + 2);
  unsigned Line = SM.getPresumedLineNumber(Begin);
  std::string Text = std::string(OwnLine ? "" : "\n") + "#include <" + kCheckHeader +
                     "> /* gpreempt-rewrite */\n";
  if (!InPlace && !Diff) {
    SmallString<256> Path(SM.getFilename(At));
    sys::fs::make_absolute(Path);
    sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    Text += "#line " + std::to_string(Line) + " \"" + Path.str().str() + "\"\n";
  } else {
    Text += "#line " + std::to_string(Line) + "\n";
  }
  RW.InsertText(At, Text, /*InsertAfter=*/false);
  ++Edits;
}

void Instrumenter::HandleTranslationUnit(ASTContext &Ctx) {
  RW.setSourceMgr(SM, LO);
  if (CI.getDiagnostics().hasErrorOccurred()) {
    Ok = false;
    return;
  }
  readOptions(Ctx);
  if (!Ok)
    return;

  // Collect: the main file's function definitions, in order.
  std::vector<Decl *> Work(Ctx.getTranslationUnitDecl()->decls_begin(),
                           Ctx.getTranslationUnitDecl()->decls_end());
  for (size_t I = 0; I < Work.size(); ++I) {
    Decl *D = Work[I];
    if (auto *LS = dyn_cast<LinkageSpecDecl>(D)) {
      Work.insert(Work.end(), LS->decls_begin(), LS->decls_end());
      continue;
    }
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isDependentContext())
      continue;
    auto *Body = dyn_cast<CompoundStmt>(FD->getBody());
    if (!Body || !SM.isInMainFile(fileLoc(Body->getLBracLoc())))
      continue;
    if (Body->getLBracLoc().isMacroID() || Body->getRBracLoc().isMacroID()) {
      warn(fileLoc(FD->getLocation()),
           "function " + FD->getNameAsString() +
               " is defined by a macro's expansion: not instrumented");
      continue;
    }
    Funcs.push_back(std::make_unique<FuncPlan>());
    FuncPlan &P = *Funcs.back();
    P.FD = FD;
    P.Body = Body;
    collect(P, Body, nullptr, nullptr, nullptr, nullptr, nullptr);
    PlanOf[FD] = &P;
  }
  for (auto &P : Funcs)
    classify(*P);
  // Mutate.
  FuncPlan *First = nullptr;
  for (auto &P : Funcs) {
    if (!P->Instrument)
      continue;
    unsigned Before = Edits;
    plan(*P);
    if (Edits != Before && !First)
      First = P.get();
  }
  if (First)
    addInclude(*First);

  FileID Main = SM.getMainFileID();
  if (const RewriteBuffer *RB = RW.getRewriteBufferFor(Main)) {
    Out.assign(RB->begin(), RB->end());
    Changed = true;
  } else {
    Out = SM.getBufferData(Main).str();
    Changed = false;
  }
}

// One per file: the pragma consumer first (it annotates each declaration
// before we look), then the instrumenter at the end of the unit.
struct Result {
  std::string Text;
  bool Changed = false;
  bool Ok = true;
};

class RewriteAction : public ASTFrontendAction {
public:
  explicit RewriteAction(std::map<std::string, Result> &Results) : Results(Results) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef File) override {
    SmallString<256> Abs(File);
    sys::fs::make_absolute(Abs);
    sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    Result &R = Results[std::string(Abs.str())];
    std::vector<std::unique_ptr<ASTConsumer>> Cs;
    Cs.push_back(gpreempt::createPragmaConsumer(CI));
    Cs.push_back(std::make_unique<Instrumenter>(CI, R.Text, R.Changed, R.Ok));
    return std::make_unique<MultiplexConsumer>(std::move(Cs));
  }

private:
  std::map<std::string, Result> &Results;
};

class Factory : public FrontendActionFactory {
public:
  explicit Factory(std::map<std::string, Result> &Results) : Results(Results) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<RewriteAction>(Results);
  }

private:
  std::map<std::string, Result> &Results;
};

bool writeFile(StringRef Path, StringRef Text) {
  std::error_code EC;
  if (auto Dir = sys::path::parent_path(Path); !Dir.empty())
    if ((EC = sys::fs::create_directories(Dir))) {
      errs() << "gpreempt-rewrite: cannot create " << Dir << ": " << EC.message() << "\n";
      return false;
    }
  raw_fd_ostream OS(Path, EC);
  if (EC) {
    errs() << "gpreempt-rewrite: cannot write " << Path << ": " << EC.message() << "\n";
    return false;
  }
  OS << Text;
  return true;
}

// diff -u of the original and the rewritten file, labelled a/ and b/.
bool printDiff(StringRef Path, StringRef Text) {
  auto DiffProg = sys::findProgramByName("diff");
  if (!DiffProg) {
    errs() << "gpreempt-rewrite: --diff needs diff(1) on PATH\n";
    return false;
  }
  SmallString<128> Tmp;
  int FD;
  if (sys::fs::createTemporaryFile("gpreempt-rewrite", "c", FD, Tmp)) {
    errs() << "gpreempt-rewrite: cannot create a temporary file\n";
    return false;
  }
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
  }
  std::string A = ("a" + Path).str(), B = ("b" + Path).str();
  if (!startsWith(Path, "/")) {
    A = ("a/" + Path).str();
    B = ("b/" + Path).str();
  }
  SmallVector<StringRef, 8> Args = {*DiffProg, "-u", "--label", A, "--label", B,
                                    Path, Tmp};
  int RC = sys::ExecuteAndWait(*DiffProg, Args);
  sys::fs::remove(Tmp);
  return RC == 0 || RC == 1;
}

// The directory of gpreempt_check.h: <prefix>/include beside an installed
// <prefix>/bin/gpreempt-rewrite, else the source tree's include/.
std::string checkHeaderDir(const char *Argv0) {
  std::string Exe = sys::fs::getMainExecutable(Argv0, (void *)&checkHeaderDir);
  SmallString<256> Dir(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Dir, "include");
  SmallString<256> Header(Dir);
  sys::path::append(Header, kCheckHeader);
  return sys::fs::exists(Header) ? std::string(Dir.str()) : std::string(GP_INCLUDE_DIR);
}

} // namespace

int main(int argc, const char **argv) {
  auto Parser = CommonOptionsParser::create(argc, argv, Category, cl::ZeroOrMore);
  if (!Parser) {
    errs() << toString(Parser.takeError());
    return 1;
  }
  if ((InPlace + !OutDir.empty() + Diff) > 1) {
    errs() << "gpreempt-rewrite: -i, -o and --diff exclude each other\n";
    return 1;
  }
  std::vector<std::string> Files = Parser->getSourcePathList();
  // Without a file named, CommonOptionsParser loads no database: --all loads
  // the one -p names.
  std::unique_ptr<CompilationDatabase> AllDB;
  CompilationDatabase *DB = Files.empty() ? nullptr : &Parser->getCompilations();
  if (AllFiles) {
    auto *P = static_cast<cl::opt<std::string> *>(cl::getRegisteredOptions().lookup("p"));
    std::string Err;
    if (!DB && P && !P->getValue().empty()) {
      AllDB = CompilationDatabase::autoDetectFromDirectory(P->getValue(), Err);
      DB = AllDB.get();
    }
    if (!DB) {
      errs() << "gpreempt-rewrite: --all needs -p <build dir> with a "
                "compile_commands.json" << (Err.empty() ? "" : ": " + Err) << "\n";
      return 1;
    }
    Files = DB->getAllFiles();
  }
  if (Files.empty() || !DB) {
    errs() << "gpreempt-rewrite: no input files (name them, or --all with -p)\n";
    return 1;
  }
  ClangTool Tool(*DB, Files);
  // gpreempt_check.h for a second run, clang's own headers for a tool that
  // does not live next to them, and no -Werror: a warning clang has and gcc
  // has not must not stop the rewrite.
  Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(
      {"-I" + checkHeaderDir(argv[0]), "-Wno-error", "-Wno-unknown-warning-option"},
      ArgumentInsertPosition::END));
#ifdef GP_RESOURCE_DIR
  Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(
      "-resource-dir=" GP_RESOURCE_DIR, ArgumentInsertPosition::BEGIN));
#endif
  std::map<std::string, Result> Results;
  Factory F(Results);
  int RC = Tool.run(&F);
  bool AllOk = RC == 0;
  for (auto &[Path, R] : Results) {
    if (!R.Ok) {
      errs() << "gpreempt-rewrite: " << Path << " not rewritten (errors above)\n";
      AllOk = false;
      continue;
    }
    if (Diff) {
      if (R.Changed && !printDiff(Path, R.Text))
        AllOk = false;
    } else if (InPlace) {
      if (R.Changed && !writeFile(Path, R.Text))
        AllOk = false;
    } else if (!OutDir.empty()) {
      SmallString<256> Cwd, Dest(OutDir);
      sys::fs::current_path(Cwd);
      StringRef Rel = Path;
      if (startsWith(Rel, Cwd) && Rel.size() > Cwd.size() && Rel[Cwd.size()] == '/')
        Rel = Rel.drop_front(Cwd.size() + 1);
      else
        Rel = Rel.drop_front(1); // the absolute path, below <dir>
      sys::path::append(Dest, Rel);
      if (!writeFile(Dest, R.Text))
        AllOk = false;
    } else {
      outs() << R.Text;
    }
  }
  return AllOk ? 0 : 1;
}

//===- GPreempt.cpp - preemption checks and safe-point tables for C -------===//
//
// Part of gpreempt.  Inserts Go-style stack-guard checks (function prologues
// and loop back edges) so that the libgmprt scheduler can preempt goroutines,
// and emits the per-module safe-point tables the runtime uses to decide
// whether a signal may preempt at a given PC.
//
// The IR this pass emits is specified in docs/design.md sections 1-4; the
// symbols and table layouts are declared in include/gpreempt_abi.h.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SCCIterator.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#if LLVM_VERSION_MAJOR >= 17
#include "llvm/TargetParser/Triple.h"
#else
#include "llvm/ADT/Triple.h"
#endif
#if LLVM_VERSION_MAJOR >= 22
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif

#include "Options.h"
#include <functional>
#include "gpreempt_abi.h"

using namespace llvm;

#define DEBUG_TYPE "gpreempt"

// Runtime symbols (include/gpreempt_abi.h is the single declaration).
static const char *const kGuardName = GP_GUARD_SYMBOL;
static const char *const kSlowPathName = GP_SLOWPATH_SYMBOL;
static const char *const kSlowPathFrameName = GP_SLOWPATH_FRAME_SYMBOL;
static const char *const kRegisterName = GP_REGISTER_SYMBOL;
static const char *const kUnregisterName = GP_UNREGISTER_SYMBOL;
static const char *const kRuntimePrefix = "__gp_";
static const char *const kCtorName = "gpreempt.module_ctor";
static const char *const kDtorName = "gpreempt.module_dtor";
static const char *const kSectionPrefix = "gpt_";
static const char *const kFileOptionsName = "__gpreempt_file_options";
static const char *const kInstrumentedFlag = "gpreempt.instrumented";
// Marks the terminator of a block that stands for an elided check, so that
// the verifier (also when run later as its own pass) accepts its cycles.
static const char *const kElidedMD = "gpreempt.elided";
// Annotations written by the macros of include/gpreempt.h.
static const char *const kAnnNoPreempt = "gpreempt.nopreempt";
static const char *const kAnnNoLoops = "gpreempt.noloops";
static const char *const kAnnNoEntry = "gpreempt.noentry";
// Unchecked leaves run below the caller's checked SP; keep their frames far
// below GP_STACK_RESERVE so the reserve still covers them.
static const uint64_t kLeafMaxFrameBytes = 1024;
// entry=auto: the stack a chain of functions without prologue checks may
// use below the last check.  With GP_STACK_RESERVE (16 KiB) it leaves half
// the reserve for the slow path and the fatal error's report.
static const uint64_t kStackBudgetBytes = GP_STACK_RESERVE / 2;
// Per frame, besides its allocas: return address, saved registers, spills.
static const uint64_t kFrameOverheadBytes = 128;
static const uint32_t kNeverWeight = 1, kAlwaysWeight = 1048575;
// X86's address space for %fs-relative addresses.
static const unsigned kX86FSAddrSpace = 257;

namespace {
// -gpreempt-loops=on|off etc.  A parser of its own so that a bad value is an
// error that lists the accepted values (cl::values only says "cannot find").
struct OnOffParser : public cl::parser<bool> {
  OnOffParser(cl::Option &O) : cl::parser<bool>(O) {}
  bool parse(cl::Option &O, StringRef ArgName, StringRef Arg, bool &Value) {
    // -gpreempt-entry alone means on; -gpreempt-entry= (an empty value, a
    // StringRef into the argument rather than none) is a mistake.
    if (Arg.empty() && Arg.data())
      return O.error("empty value; expected on or off");
    if (Arg.empty() || Arg == "on" || Arg == "true" || Arg == "1") {
      Value = true;
      return false;
    }
    if (Arg == "off" || Arg == "false" || Arg == "0") {
      Value = false;
      return false;
    }
    return O.error("'" + Arg + "' is not a valid value; expected on or off");
  }
  StringRef getValueName() const override { return "on|off"; }
};

// -gpreempt-loops=on|off|async and -gpreempt-entry=on|off|auto: on, off and
// a third value (Third).  A parser of its own, as above; cl::parser<unsigned>
// because the generic enum parser only offers cl::values, whose error does
// not list the accepted values.
//   loops=async: no back-edge checks in functions the preemption signal can
//     preempt anywhere (async-safe ones); the checks stay where the signal
//     cannot help, and a call on a cycle into code the signal cannot see
//     gets a check after it (GPreempt::decideReturnChecks).
//   entry=auto: prologue checks only where time or stack can grow without
//     bound (GPreempt::decideEntryChecks).
enum Mode : unsigned { ModeOff = 0, ModeOn = 1, ModeThird = 2 };
static const char kAsync[] = "async", kAuto[] = "auto";
template <const char *Third> struct TriStateParser : public cl::parser<unsigned> {
  TriStateParser(cl::Option &O) : cl::parser<unsigned>(O) {}
  bool parse(cl::Option &O, StringRef ArgName, StringRef Arg, unsigned &Value) {
    const std::string Expected = std::string("on, off or ") + Third;
    if (Arg.empty()) // the option requires a value: this is "-gpreempt-x="
      return O.error("empty value; expected " + Expected);
    if (Arg == Third)
      Value = ModeThird;
    else if (Arg == "on" || Arg == "true" || Arg == "1")
      Value = ModeOn;
    else if (Arg == "off" || Arg == "false" || Arg == "0")
      Value = ModeOff;
    else
      return O.error("'" + Arg + "' is not a valid value; expected " + Expected);
    return false;
  }
  StringRef getValueName() const override { return Third == kAsync ? "on|off|async" : "on|off|auto"; }
};
} // namespace

// The default, async, leaves the loops of async-safe functions to the
// preemption signal (Go's choice since 1.14): about 2.4 us per preemption,
// 0.02% of a 10 ms slice, against a check on every iteration.  on is the
// full cooperative mode, for slices too short for the signal.
static cl::opt<unsigned, false, TriStateParser<kAsync>> ClLoops(
    "gpreempt-loops", cl::init(ModeThird),
    cl::desc("gpreempt: insert loop back-edge checks everywhere (on), "
             "nowhere (off), or only in functions that are not async-safe "
             "(async, the default)"));
static cl::opt<unsigned, false, TriStateParser<kAuto>> ClEntry(
    "gpreempt-entry", cl::init(ModeThird),
    cl::desc("gpreempt: insert function prologue checks: in every function "
             "but quick leaves (on), none but big frames (off), or only in "
             "functions on call-graph cycles or deep in unchecked calls "
             "(auto, the default)"));
static cl::opt<bool, false, OnOffParser>
    ClTables("gpreempt-tables", cl::init(true),
             cl::desc("gpreempt: emit safe-point tables and register them "
                      "with the runtime (on|off)"));
static cl::opt<bool>
    ClVerify("gpreempt-verify", cl::init(false),
             cl::desc("gpreempt: after instrumenting, check that every CFG "
                      "cycle passes through a check and run the IR verifier"));
// A leaf without calls or cycles runs each of its instructions at most once:
// even 1000 IR instructions take about a microsecond, far below any time
// slice, while a check would cost on every call (sqlite's entry-check
// overhead: +6.8% instructions at a bound of 64, +4.4% at 1000).  Its fixed
// frame is bounded separately (kLeafMaxFrameBytes).
static cl::opt<unsigned> ClLeafMaxInsts(
    "gpreempt-leaf-max-insts", cl::init(1000),
    cl::desc("gpreempt: leaf functions (no calls, no cycles) of at most this "
             "many instructions get no prologue check"));
static cl::opt<unsigned> ClLoopMaxTrips(
    "gpreempt-loop-max-trips", cl::init(64),
    cl::desc("gpreempt: innermost call-free loops with a constant trip count "
             "of at most this get no back-edge check"));

static cl::opt<bool, false, OnOffParser> ClHeaderChecks(
    "gpreempt-header-checks", cl::init(false),
    cl::desc("gpreempt: put a natural loop's check at the top of its header "
             "(on) instead of on each of its back edges (off)"));
static cl::opt<bool, false, OnOffParser> ClSelfLoopInBlock(
    "gpreempt-self-loop-in-block", cl::init(true),
    cl::desc("gpreempt: a one-block loop's check goes before its branch "
             "(on) instead of on a block split off its back edge (off)"));
static cl::opt<bool, false, OnOffParser> ClStripMine(
    "gpreempt-strip-mine", cl::init(false),
    cl::desc("gpreempt: run innermost counted loops in chunks of iterations "
             "with one check per chunk instead of one per iteration (on|off)"));

// Strip-mining (HotSpot's LoopStripMiningIter): a counted loop's exit test
// compares against a limit at most a chunk ahead instead of the loop's bound;
// reaching the limit leaves through a check that sets the next one.  A chunk
// of kStripChunkInsts IR instructions runs in about a microsecond even at one
// instruction per nanosecond, well under the shortest useful slice (the
// runtime's floor is 10 us); kStripMaxIters caps a chunk of a tiny body like
// HotSpot's 1000.  Bodies so big that a chunk would be under kStripMinIters
// iterations keep a check per iteration: the per-chunk work (about 8
// instructions) would eat most of what is saved.
static const unsigned kStripChunkInsts = 2048;
// A one-block loop this long per entry has its check before its branch
// (insertBackEdgeChecks): one check more on the way out is then at most 1/64
// of what the in-block check saves.
static const unsigned kSelfLoopMinTrips = 64;
static const unsigned kStripMaxIters = 1024;
static const unsigned kStripMinIters = 16;

STATISTIC(NumPrologueChecks, "Number of prologue checks inserted");
STATISTIC(NumStripMined, "Number of loops strip-mined (one check per chunk)");
STATISTIC(NumBackedgeChecks, "Number of back-edge checks inserted");
STATISTIC(NumEntryExempt, "Number of functions without a prologue check");
STATISTIC(NumBackedgesElided, "Number of back edges without a check");
STATISTIC(NumReturnChecks, "Number of checks after calls into opaque code");
STATISTIC(NumFuncsRecorded, "Number of functions in safe-point tables");

namespace {

// Fed by the command line for both clang (-mllvm) and opt, then narrowed by
// GP_FILE_OPTIONS; per-function annotations narrow further.
struct GPreemptOptions : gpreempt::Toggles {
  unsigned LeafMaxInsts = 1000;
  unsigned LoopMaxTrips = 64;

  static GPreemptOptions fromCommandLine() {
    GPreemptOptions O;
    O.Loops = ClLoops != ModeOff;
    O.LoopsAsync = ClLoops == ModeThird;
    O.Entry = ClEntry != ModeOff;
    O.EntryAuto = ClEntry == ModeThird;
    O.Tables = ClTables;
    O.Verify = ClVerify;
    O.LeafMaxInsts = ClLeafMaxInsts;
    O.LoopMaxTrips = ClLoopMaxTrips;
    return O;
  }
  // parse(): GP_FILE_OPTIONS (OnlyNarrow) or opt -passes='gpreempt<...>'.
};

// What a call to a declaration may call back (GPreempt::mayCallBack).
enum CallBack { CallsBackNone, CallsBackPointers, CallsBackAny };

enum AnnotationBits : unsigned {
  AnnNoPreempt = 1,
  AnnNoLoops = 2,
  AnnNoEntry = 4,
};

using Edge = std::pair<BasicBlock *, BasicBlock *>;

// Everything the collecting walk learns about one defined function.
struct FuncInfo {
  Function *F = nullptr;
  bool Instrument = true; // false: no checks at all (naked, nopreempt)
  bool Record = true;     // has a gp_func_t record
  bool EntryCheck = false;
  bool EntryUndecided = false; // entry=auto: decided from the call graph
  bool LoopsOn = false;
  bool LoopsToSignal = false; // loops=async and async-safe: no loop checks
  SmallVector<CallBase *, 4> ReturnChecks; // calls that get a check after them
  uint16_t Unsafe = GP_SAFE;
  int RecordIdx = -1;
  SmallVector<Edge, 4> BackEdges; // DFS back edges over reachable blocks
  // Static allocas allocated after the entry check, which then checks their
  // total (GP_SITE_BIGFRAME): set when the frame exceeds GP_BIG_FRAME_BYTES.
  SmallVector<AllocaInst *, 2> BigAllocas;
  uint64_t BigBytes = 0;
};

// A counted loop to strip-mine (GPreempt::planStripMine): its latch leaves
// it when `X Cont N` is false, X stepping by Step from IV, a header phi.
struct StripPlan {
  BranchInst *Br;
  BasicBlock *Header;
  Value *X, *N;
  PHINode *IV;
  CmpInst::Predicate Cont;
  int64_t Step;
  uint64_t Chunk; // iterations between checks
  DebugLoc DL;
};

// One inserted check; its site record is filled in once the tables exist.
struct SiteInfo {
  CallInst *Call;
  int FuncIdx;
  uint32_t Line;
  uint16_t Column;
  uint16_t Kind;
};

PointerType *getPtrTy(LLVMContext &C) {
#if LLVM_VERSION_MAJOR >= 17
  return PointerType::get(C, 0);
#else
  return Type::getInt8PtrTy(C);
#endif
}

// A pointer to Elem in AddrSpace (opaque from LLVM 17 on).
PointerType *getPtrTy(LLVMContext &C, Type *Elem, unsigned AddrSpace) {
#if LLVM_VERSION_MAJOR >= 17
  return PointerType::get(C, AddrSpace);
#else
  return PointerType::get(Elem, AddrSpace);
#endif
}

// Whether the guard is glibc's split-stack TCB slot (x86-64 Linux with
// glibc) rather than the runtime's TLS word.
bool guardInTCB(const Triple &TT) {
  return TT.getArch() == Triple::x86_64 && TT.isOSLinux() &&
         TT.getEnvironment() == Triple::GNU;
}

bool isRuntimeFunction(const Function &F) {
#if LLVM_VERSION_MAJOR >= 17
  return F.getName().starts_with(kRuntimePrefix);
#else
  return F.getName().startswith(kRuntimePrefix);
#endif
}

// Calls that may take unbounded time or re-enter instrumented code.  Most
// intrinsics become no code or a few instructions; the memory intrinsics
// become loops or libc calls.
bool isRealCall(const Instruction &I) {
  const auto *CB = dyn_cast<CallBase>(&I);
  if (!CB)
    return false;
  if (const auto *II = dyn_cast<IntrinsicInst>(CB))
    return isa<MemIntrinsic>(II);
  return true;
}

enum DFSState : uint8_t { Unseen = 0, OnStack, Done, Cut };

// Iterative DFS from Root over the blocks still Unseen in State (Cut blocks
// are never entered); calls OnBackEdge(From, To) for each edge to a block on
// the DFS stack.  Stops early when OnBackEdge returns false.
template <typename Fn>
bool dfsBackEdges(BasicBlock *Root, DenseMap<BasicBlock *, uint8_t> &State,
                  Fn OnBackEdge) {
  SmallVector<std::pair<BasicBlock *, unsigned>, 32> Stack;
  State[Root] = OnStack;
  Stack.push_back({Root, 0});
  while (!Stack.empty()) {
    BasicBlock *BB = Stack.back().first;
    Instruction *TI = BB->getTerminator();
    unsigned &Idx = Stack.back().second;
    if (!TI || Idx == TI->getNumSuccessors()) {
      State[BB] = Done;
      Stack.pop_back();
      continue;
    }
    BasicBlock *Succ = TI->getSuccessor(Idx++);
    uint8_t &S = State[Succ];
    if (S == OnStack) {
      if (!OnBackEdge(BB, Succ))
        return false;
    } else if (S == Unseen) {
      S = OnStack;
      Stack.push_back({Succ, 0});
    }
  }
  return true;
}

// Every DFS back edge from the entry.  Removing these edges leaves the
// reachable CFG acyclic, so a check on each of them (or a recorded elision)
// breaks every cycle, reducible or not.  For a reducible CFG they are
// exactly the latch->header edges of LoopInfo's natural loops.
void findBackEdges(Function &F, SmallVectorImpl<Edge> &Out) {
  DenseMap<BasicBlock *, uint8_t> State;
  DenseSet<Edge> Seen; // a switch repeats successors
  dfsBackEdges(&F.getEntryBlock(), State, [&](BasicBlock *From, BasicBlock *To) {
    if (Seen.insert({From, To}).second)
      Out.push_back({From, To});
    return true;
  });
}

using BlockSet = SmallPtrSet<const BasicBlock *, 16>;

// Blocks holding a slow-path call, found from the callee's users so that the
// verifier does not rescan every instruction.
BlockSet slowPathBlocks(const Function *SlowPath) {
  BlockSet Blocks;
  if (!SlowPath)
    return Blocks;
  SmallVector<const User *, 16> Users(SlowPath->users());
  while (!Users.empty()) {
    const User *U = Users.pop_back_val();
    if (isa<ConstantExpr>(U)) // typed pointers: a bitcast of the callee
      Users.append(U->user_begin(), U->user_end());
    else if (const auto *CB = dyn_cast<CallBase>(U))
      if (CB->getCalledOperand()->stripPointerCasts() == SlowPath)
        Blocks.insert(CB->getParent());
  }
  return Blocks;
}

// The reasons markElided records; an elision with any other reason does not
// count as breaking a cycle.
static const char *const kElisionReasons[] = {"async", "loops-off",
                                              "trip-count", "call"};
// A strip-mined latch (GPreempt::stripMine) is not in the list: the verifier
// accepts it only in the shape that bounds it (isStripLatch).
static const char kStripReason[] = "strip-mined";

bool isStripMD(const MDNode *MD) {
  const auto *S = MD && MD->getNumOperands() == 1
                      ? dyn_cast<MDString>(MD->getOperand(0))
                      : nullptr;
  return S && S->getString() == kStripReason;
}

bool isKnownElision(const MDNode *MD) {
  if (!MD || MD->getNumOperands() != 1)
    return false;
  const auto *S = dyn_cast<MDString>(MD->getOperand(0));
  return S && is_contained(kElisionReasons, S->getString());
}

bool isCheckHead(const BasicBlock *BB, const BlockSet &Slow) {
  return any_of(successors(BB), [&](const BasicBlock *S) { return Slow.count(S); });
}

// A latch left by GPreempt::stripMine: it goes back to its loop header H
// only while the induction value has not reached a limit that is a phi of H
// which this edge carries unchanged, and its other way out (the chunk end)
// leads straight to a check (that block's way back to H, where the next
// limit enters the phi) or out of the loop.  Every cycle through the edge
// then either passes that check or stays within one chunk, whose length the
// pass bounded when it set the limit.
bool isStripLatch(const BasicBlock *BB, const BlockSet &Slow) {
  const auto *Br = dyn_cast_or_null<BranchInst>(BB->getTerminator());
  if (!Br || !Br->isConditional())
    return false;
  const auto *Cmp = dyn_cast<ICmpInst>(Br->getCondition());
  if (!Cmp)
    return false;
  const BasicBlock *H = Br->getSuccessor(0), *End = Br->getSuccessor(1);
  bool LimitIsPhi = any_of(Cmp->operands(), [&](const Value *V) {
    const auto *Lim = dyn_cast<PHINode>(V);
    return Lim && Lim->getParent() == H &&
           Lim->getBasicBlockIndex(BB) >= 0 &&
           Lim->getIncomingValueForBlock(BB) == Lim;
  });
  const auto *EndBr = dyn_cast_or_null<BranchInst>(End->getTerminator());
  return LimitIsPhi && EndBr && EndBr->isConditional() && End != H &&
         any_of(successors(End),
                [&](const BasicBlock *S) { return isCheckHead(S, Slow); });
}

// True if every reachable cycle of F passes through a check head, a slow
// path or a block marked elided.  On failure sets BadBlock to a block on an
// unchecked cycle.
bool allCyclesChecked(Function &F, const BlockSet &Slow,
                      BasicBlock *&BadBlock) {
  unsigned ElidedKind = F.getContext().getMDKindID(kElidedMD);
  auto IsCut = [&](BasicBlock *BB) {
    Instruction *TI = BB->getTerminator();
    if (TI && isKnownElision(TI->getMetadata(ElidedKind)))
      return true;
    if (TI && isStripMD(TI->getMetadata(ElidedKind)) && isStripLatch(BB, Slow))
      return true;
    return Slow.count(BB) ||
           any_of(successors(BB), [&](BasicBlock *S) { return Slow.count(S); });
  };
  // DFS over the reachable blocks that are not cut; a back edge is a cycle.
  DenseMap<BasicBlock *, uint8_t> State;
  SmallVector<BasicBlock *, 32> Work{&F.getEntryBlock()};
  SmallPtrSet<BasicBlock *, 32> Reachable{&F.getEntryBlock()};
  while (!Work.empty()) {
    BasicBlock *BB = Work.pop_back_val();
    for (BasicBlock *S : successors(BB))
      if (Reachable.insert(S).second)
        Work.push_back(S);
  }
  for (BasicBlock *BB : Reachable)
    if (IsCut(BB))
      State[BB] = Cut;
  for (BasicBlock &Root : F) {
    if (!Reachable.count(&Root) || State.lookup(&Root) != Unseen)
      continue;
    if (!dfsBackEdges(&Root, State, [&](BasicBlock *, BasicBlock *To) {
          BadBlock = To;
          return false;
        }))
      return false;
  }
  return true;
}

bool isExemptFromVerify(const Function &F, unsigned Ann) {
  return F.isDeclaration() || isRuntimeFunction(F) ||
         F.hasFnAttribute(Attribute::Naked) || (Ann & AnnNoPreempt);
}

// Per-function annotations from llvm.global.annotations (GP_NOPREEMPT etc.).
DenseMap<const Function *, unsigned> readAnnotations(Module &M) {
  DenseMap<const Function *, unsigned> Ann;
  GlobalVariable *GA = M.getGlobalVariable("llvm.global.annotations");
  if (!GA || !GA->hasInitializer())
    return Ann;
  auto *CA = dyn_cast<ConstantArray>(GA->getInitializer());
  if (!CA)
    return Ann;
  for (Value *Op : CA->operands()) {
    auto *CS = dyn_cast<ConstantStruct>(Op);
    if (!CS || CS->getNumOperands() < 2)
      continue;
    auto *Fn = dyn_cast<Function>(CS->getOperand(0)->stripPointerCasts());
    auto *Str = dyn_cast<GlobalVariable>(CS->getOperand(1)->stripPointerCasts());
    if (!Fn || !Str || !Str->hasInitializer())
      continue;
    auto *Data = dyn_cast<ConstantDataSequential>(Str->getInitializer());
    if (!Data || !Data->isCString())
      continue;
    StringRef A = Data->getAsCString();
    if (A == kAnnNoPreempt)
      Ann[Fn] |= AnnNoPreempt;
    else if (A == kAnnNoLoops)
      Ann[Fn] |= AnnNoLoops;
    else if (A == kAnnNoEntry)
      Ann[Fn] |= AnnNoEntry;
  }
  return Ann;
}

// Runs the cycle check on every function; reports each failure as an error
// naming the function.  Returns true if all passed.
bool verifyModuleChecks(Module &M) {
  auto Ann = readAnnotations(M);
  BlockSet Slow = slowPathBlocks(M.getFunction(kSlowPathName));
  for (const BasicBlock *BB : slowPathBlocks(M.getFunction(kSlowPathFrameName)))
    Slow.insert(BB);
  bool OK = true;
  for (Function &F : M) {
    if (isExemptFromVerify(F, Ann.lookup(&F)))
      continue;
    BasicBlock *Bad = nullptr;
    if (!allCyclesChecked(F, Slow, Bad)) {
      M.getContext().emitError(
          "gpreempt-verify: function '" + F.getName() +
          "' has a cycle through block '" +
          (Bad->hasName() ? Bad->getName() : StringRef("<unnamed>")) +
          "' with no preemption check");
      OK = false;
    }
  }
  return OK;
}

class GPreempt {
public:
  GPreempt(Module &M, ModuleAnalysisManager &MAM, GPreemptOptions Opts)
      : M(M), Ctx(M.getContext()), MAM(MAM), Opts(Opts) {}
  bool run();

private:
  bool readFileOptions();
  bool prepareRuntimeDecls();
  void classify(FuncInfo &FI, OptimizationRemarkEmitter &ORE);
  bool isQuickLeaf(const FuncInfo &FI, std::string &Why) const;
  void instrumentFunction(FuncInfo &FI, FunctionAnalysisManager &FAM);
  void insertBackEdgeChecks(FuncInfo &FI, FunctionAnalysisManager &FAM,
                            OptimizationRemarkEmitter &ORE);
  const char *loopElisionReason(Loop *L, FuncInfo &FI, DominatorTree &DT,
                                FunctionAnalysisManager &FAM,
                                BasicBlock *&CallBlock);
  bool planStripMine(Loop *L, FuncInfo &FI, ScalarEvolution &SE,
                     StripPlan &P) const;
  void stripMine(const StripPlan &P, FuncInfo &FI);
  void insertCheck(Instruction *InsertBefore, DebugLoc DL, const FuncInfo &FI,
                   uint16_t Kind, Value *Bytes = nullptr);
  void insertEntryCheck(FuncInfo &FI, OptimizationRemarkEmitter &ORE);
  void insertAllocaChecks(FuncInfo &FI, OptimizationRemarkEmitter &ORE);
  void markElided(BasicBlock *BB, StringRef Reason);
  CallBack mayCallBack(const Function &Callee,
                            const TargetLibraryInfo &TLI) const;
  void decideEntryChecks(FunctionAnalysisManager &FAM);
  SmallVector<unsigned, 8>
  cycleCover(ArrayRef<unsigned> C,
             const std::vector<SmallVector<unsigned, 4>> &Succ, unsigned Ext,
             unsigned ExtCB) const;
  void decideEntryCheck(FuncInfo &FI, FunctionAnalysisManager &FAM,
                        const char *Cycle, const FuncInfo *Peer, uint64_t Depth);
  void decideReturnChecks();
  void insertReturnChecks(FuncInfo &FI, OptimizationRemarkEmitter &ORE);
  void findBigAllocas(FuncInfo &FI) const;
  void emitTables();
  std::string sectionName() const;
  Constant *getString(StringRef S);
  void removeFromUsedLists(GlobalVariable *GV);

  Module &M;
  LLVMContext &Ctx;
  ModuleAnalysisManager &MAM;
  GPreemptOptions Opts;
  DenseMap<const Function *, unsigned> Annotations;
  std::vector<FuncInfo> Funcs;
  DenseMap<const Function *, const FuncInfo *> InfoOf;
  std::vector<SiteInfo> Sites;
  StringMap<Constant *> Strings;

  Type *Int16Ty = nullptr, *Int32Ty = nullptr, *Int64Ty = nullptr;
  PointerType *PtrTy = nullptr;
  bool GuardInTCB = false;
  bool VolatileGuard = false; // LTO pre-link: the link re-optimises the IR
  Constant *GuardPtr = nullptr; // the TCB slot or @__gp_stack_guard
  FunctionCallee SlowPath, SlowPathFrame;
  Function *ReadRegister = nullptr;
  Value *SPRegName = nullptr;
  MDNode *ColdWeights = nullptr;
};

} // namespace

// GP_FILE_OPTIONS("loops=off,..."): validate, apply and delete the global.
bool GPreempt::readFileOptions() {
  // Inside a function body the macro defines a function-local static, which
  // clang names "<function>.__gpreempt_file_options" (C) or mangles with the
  // function (C++): it would be ignored, so it is an error.
  for (GlobalVariable &G : M.globals()) {
    StringRef Name = G.getName();
    if (Name == kFileOptionsName || !Name.contains(kFileOptionsName))
      continue;
    std::string Where = M.getSourceFileName();
    SmallVector<DIGlobalVariableExpression *, 1> DIs;
    G.getDebugInfo(DIs);
    if (!DIs.empty())
      Where = (DIs[0]->getVariable()->getFilename() + ":" +
               Twine(DIs[0]->getVariable()->getLine()))
                  .str();
    Ctx.emitError("gpreempt: " + Where +
                  ": GP_FILE_OPTIONS inside a function body (in '" + Name +
                  "') has no effect; write it at file scope");
    return false;
  }
  GlobalVariable *GV = M.getGlobalVariable(kFileOptionsName, true);
  if (!GV)
    return true;
  Constant *Init = GV->hasInitializer() ? GV->getInitializer() : nullptr;
  auto *Data = dyn_cast_or_null<ConstantDataSequential>(Init);
  bool OK = true;
  // "" is a one-byte zero array, which LLVM stores as a zeroinitializer.
  bool Empty = Init && isa<ConstantAggregateZero>(Init) &&
               Init->getType()->isArrayTy() &&
               Init->getType()->getArrayElementType()->isIntegerTy(8);
  if (Empty || (Data && Data->isString() &&
                Data->getAsString().substr(0, Data->getAsString().find('\0'))
                    .trim()
                    .empty())) {
    Ctx.emitError("gpreempt: GP_FILE_OPTIONS(\"\") is empty; give at least "
                  "one key=value (keys: loops, entry, tables)");
    OK = false;
  } else if (!Data || !Data->isString()) {
    Ctx.emitError("gpreempt: GP_FILE_OPTIONS must be a string literal");
    OK = false;
  } else {
    StringRef Text = Data->getAsString();
    // A file can only turn things off: -mllvm ...=off wins over "on".
    std::string Err = Opts.parse(Text.substr(0, Text.find('\0')),
                                 /*OnlyNarrow=*/true);
    if (!Err.empty()) {
      Ctx.emitError("gpreempt: GP_FILE_OPTIONS: " + Err);
      OK = false;
    }
  }
  removeFromUsedLists(GV);
  GV->removeDeadConstantUsers();
  if (GV->use_empty())
    GV->eraseFromParent();
  return OK;
}

void GPreempt::removeFromUsedLists(GlobalVariable *Target) {
  for (StringRef Name : {"llvm.used", "llvm.compiler.used"}) {
    GlobalVariable *Used = M.getGlobalVariable(Name, true);
    if (!Used || !Used->hasInitializer())
      continue;
    auto *CA = dyn_cast<ConstantArray>(Used->getInitializer());
    if (!CA)
      continue;
    SmallVector<GlobalValue *, 8> Keep;
    bool Found = false;
    for (Value *Op : CA->operands()) {
      auto *G = dyn_cast<GlobalValue>(Op->stripPointerCasts());
      if (G == Target)
        Found = true;
      else if (G)
        Keep.push_back(G);
    }
    if (!Found)
      continue;
    Used->eraseFromParent();
    CA->destroyConstant();
    if (Keep.empty())
      continue;
    if (Name == "llvm.used")
      appendToUsed(M, Keep);
    else
      appendToCompilerUsed(M, Keep);
  }
}

bool GPreempt::prepareRuntimeDecls() {
  Triple TT(M.getTargetTriple());
  StringRef Reg;
  if (TT.getArch() == Triple::x86_64)
    Reg = "rsp";
  else if (TT.getArch() == Triple::aarch64)
    Reg = "sp";
  else {
    Ctx.emitError("gpreempt: unsupported target '" + TT.str() +
                  "': checks are implemented for x86_64 and aarch64 only");
    return false;
  }
  Int16Ty = Type::getInt16Ty(Ctx);
  Int32Ty = Type::getInt32Ty(Ctx);
  Int64Ty = Type::getInt64Ty(Ctx);
  PtrTy = getPtrTy(Ctx);

  // x86-64 glibc: the split-stack slot of the TCB, %fs:GP_GUARD_TCB_OFFSET,
  // which needs no symbol (design.md section 1).  Elsewhere (AArch64, musl,
  // other libcs): the runtime's initial-exec TLS word.
  GuardInTCB = guardInTCB(TT);
  // clang's -flto and -flto=thin pre-link compiles mark the module so.
  VolatileGuard = M.getModuleFlag("ThinLTO") || M.getModuleFlag("EnableSplitLTOUnit");
  if (GuardInTCB) {
    PointerType *FSPtrTy = getPtrTy(Ctx, Int64Ty, kX86FSAddrSpace);
    GuardPtr = ConstantExpr::getIntToPtr(
        ConstantInt::get(Int64Ty, GP_GUARD_TCB_OFFSET), FSPtrTy);
  } else {
    GlobalVariable *Guard = M.getGlobalVariable(kGuardName);
    if (!Guard)
      Guard = new GlobalVariable(M, Int64Ty, /*isConstant=*/false,
                                 GlobalValue::ExternalLinkage, nullptr,
                                 kGuardName, nullptr,
                                 GlobalValue::InitialExecTLSModel);
    Guard->setAlignment(Align(8));
    GuardPtr = Guard;
  }

  SlowPath = M.getOrInsertFunction(
      kSlowPathName, FunctionType::get(Type::getVoidTy(Ctx), {PtrTy}, false));
  SlowPathFrame = M.getOrInsertFunction(
      kSlowPathFrameName,
      FunctionType::get(Type::getVoidTy(Ctx), {PtrTy, Int64Ty}, false));
  // Stripped: in LLVM 14 a user's differently typed declaration comes back
  // behind a bitcast, and it too must say preserve_most.
  for (FunctionCallee C : {SlowPath, SlowPathFrame})
    if (auto *SP = dyn_cast<Function>(C.getCallee()->stripPointerCasts())) {
      SP->setCallingConv(CallingConv::PreserveMost);
      SP->addFnAttr(Attribute::NoUnwind);
      SP->addFnAttr(Attribute::Cold);
    }
#if LLVM_VERSION_MAJOR >= 20
  ReadRegister =
      Intrinsic::getOrInsertDeclaration(&M, Intrinsic::read_register, {Int64Ty});
#else
  ReadRegister = Intrinsic::getDeclaration(&M, Intrinsic::read_register, {Int64Ty});
#endif
  SPRegName = MetadataAsValue::get(
      Ctx, MDNode::get(Ctx, {MDString::get(Ctx, Reg)}));
  ColdWeights = MDBuilder(Ctx).createBranchWeights(kNeverWeight, kAlwaysWeight);
  return true;
}

// A leaf that provably finishes quickly: no calls, no cycles, few
// instructions, a small fixed frame.
bool GPreempt::isQuickLeaf(const FuncInfo &FI, std::string &Why) const {
  if (!FI.BackEdges.empty())
    return false;
  const DataLayout &DL = M.getDataLayout();
  unsigned N = 0;
  uint64_t Frame = 0;
  for (const Instruction &I : instructions(*FI.F)) {
    if (isa<DbgInfoIntrinsic>(I))
      continue;
    if (++N > Opts.LeafMaxInsts || isRealCall(I))
      return false;
    if (const auto *AI = dyn_cast<AllocaInst>(&I)) {
      const auto *Count = dyn_cast<ConstantInt>(AI->getArraySize());
      if (!Count)
        return false; // dynamic alloca: unbounded frame
      Frame += DL.getTypeAllocSize(AI->getAllocatedType()).getKnownMinValue() *
               Count->getZExtValue();
      if (Frame > kLeafMaxFrameBytes)
        return false;
    }
  }
  Why = "leaf function of " + std::to_string(N) +
        " instructions with no calls and no loops";
  return true;
}

// A thread-local global, directly or inside a constant expression such as
// the address of an element of a thread-local array.
static bool refersToTLS(const Value *V) {
  if (const auto *G = dyn_cast<GlobalValue>(V))
    return G->isThreadLocal();
  if (const auto *CE = dyn_cast<ConstantExpr>(V))
    return any_of(CE->operands(), [](const Use &Op) { return refersToTLS(Op); });
  return false;
}

static DebugLoc functionLoc(const Function &F) {
  if (DISubprogram *SP = F.getSubprogram())
    return DILocation::get(F.getContext(), SP->getLine(), 0, SP);
  return DebugLoc();
}

// Decides what F gets: record, unsafe reason, prologue check, loop checks.
void GPreempt::classify(FuncInfo &FI, OptimizationRemarkEmitter &ORE) {
  Function &F = *FI.F;
  unsigned Ann = Annotations.lookup(&F);
  DebugLoc Loc = functionLoc(F);
  auto Missed = [&](StringRef Name, const Twine &Msg) {
    ORE.emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, Name, Loc, &F.getEntryBlock())
             << Msg.str();
    });
  };

  // Collected before any check exists: the checks' own TLS load is safe.
  for (const Instruction &I : instructions(F)) {
    if (FI.Unsafe != GP_SAFE)
      break;
    if (const auto *CB = dyn_cast<CallBase>(&I)) {
      if (CB->isInlineAsm())
        FI.Unsafe = GP_UNSAFE_INLINE_ASM;
      else if (CB->hasFnAttr(Attribute::ReturnsTwice))
        FI.Unsafe = GP_UNSAFE_RETURNS_TWICE;
      else if (const Function *Callee = CB->getCalledFunction())
        if (Callee->hasFnAttribute(Attribute::ReturnsTwice))
          FI.Unsafe = GP_UNSAFE_RETURNS_TWICE;
    }
    if (any_of(I.operands(), [](const Use &Op) { return refersToTLS(Op); }))
      FI.Unsafe = GP_UNSAFE_TLS;
  }

  if (F.hasFnAttribute(Attribute::Naked)) {
    FI.Unsafe = GP_UNSAFE_NAKED;
    FI.Instrument = false;
    Missed("Naked", "no checks in naked function " + F.getName() +
                        ": it has no frame to check in");
  } else if (Ann & AnnNoPreempt) {
    FI.Unsafe = GP_UNSAFE_USER_NOPREEMPT;
    FI.Instrument = false;
    Missed("NoPreempt", "no checks in " + F.getName() +
                            ": marked GP_NOPREEMPT");
  }
  if (!FI.Instrument)
    return;

  findBackEdges(F, FI.BackEdges);
  FI.LoopsOn = Opts.Loops && !(Ann & AnnNoLoops);
  // The signal can preempt an async-safe function anywhere, but only if the
  // runtime can find it in the tables.
  // Under ThreadSanitizer the runtime turns the signal off (TSan defers
  // asynchronous signals and hands handlers a copy of the context), so
  // such functions keep their loop checks.
  FI.LoopsToSignal = FI.LoopsOn && Opts.LoopsAsync && Opts.Tables &&
                     FI.Unsafe == GP_SAFE &&
                     !F.hasFnAttribute(Attribute::SanitizeThread);
  if (FI.LoopsToSignal)
    FI.LoopsOn = false;

  findBigAllocas(FI);
  std::string Why;
  if (!FI.BigAllocas.empty()) {
    FI.EntryCheck = true; // stack safety: also with entry=off
    ORE.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "BigFrame", Loc, &F.getEntryBlock())
             << "big-frame check in " << F.getName() << ": "
             << std::to_string(FI.BigBytes)
             << " bytes of locals are allocated after a check of sp - size";
    });
  } else if (!Opts.Entry)
    Missed("EntryOff", "no prologue check in " + F.getName() +
                           ": prologue checks are off (-gpreempt-entry or GP_FILE_OPTIONS)");
  else if (Ann & AnnNoEntry)
    Missed("NoEntryCheck", "no prologue check in " + F.getName() +
                               ": marked GP_NO_ENTRY_CHECK");
  else if (isQuickLeaf(FI, Why))
    Missed("QuickLeaf", "no prologue check in " + F.getName() + ": " + Why);
  else if (Opts.EntryAuto)
    FI.EntryUndecided = true; // decideEntryChecks, from the call graph
  else
    FI.EntryCheck = true;
  if (!FI.EntryCheck && !FI.EntryUndecided)
    ++NumEntryExempt;
}

// Library functions that call a function pointer they are given before
// they return: a call to one is an edge to every address-taken function.
static const char *const kCallbackLibFuncs[] = {
    "qsort",   "qsort_r", "bsearch", "lfind",     "lsearch",
    "tsearch", "tfind",   "tdelete", "twalk",     "twalk_r",
    "ftw",     "nftw",    "scandir", "scandirat", "glob",
    "pthread_once", "call_once", "dl_iterate_phdr", "exit", "atexit",
    "__cxa_atexit", "on_exit", "fopencookie", "__cxa_throw"};

// Whom a call to the declaration Callee may call back in this module before
// it returns: nobody (the C library's own functions, intrinsics), the
// address-taken functions (the library functions above, which call the
// pointers they are given), or also every externally visible function
// (anything else: code we cannot see).
CallBack GPreempt::mayCallBack(const Function &Callee,
                               const TargetLibraryInfo &TLI) const {
  if (Callee.isIntrinsic())
    return CallsBackNone;
  for (const char *N : kCallbackLibFuncs)
    if (Callee.getName() == N)
      return CallsBackPointers;
#if LLVM_VERSION_MAJOR >= 16
  if (Callee.hasFnAttribute(Attribute::NoCallback))
    return CallsBackNone;
#endif
  LibFunc LF;
  return TLI.getLibFunc(Callee, LF) && TLI.has(LF) ? CallsBackNone
                                                   : CallsBackAny;
}

// Tarjan's strongly connected components of the nodes with Live set, over
// Succ's edges between them, iteratively.  Components come out callees
// first (the order the stack estimate needs); Comp[v] is v's component's
// index, -1 for a node that is not live.
static std::vector<SmallVector<unsigned, 4>>
stronglyConnected(const std::vector<SmallVector<unsigned, 4>> &Succ,
                  const std::vector<bool> &Live, std::vector<int> &Comp) {
  unsigned N = Succ.size();
  std::vector<int> Num(N, -1), Low(N, 0);
  Comp.assign(N, -1);
  std::vector<bool> OnStack(N, false);
  SmallVector<unsigned, 32> Stack;
  SmallVector<std::pair<unsigned, unsigned>, 32> Work;
  std::vector<SmallVector<unsigned, 4>> Comps;
  int Next = 0;
  for (unsigned Root = 0; Root != N; ++Root) {
    if (Num[Root] >= 0 || !Live[Root])
      continue;
    Work.push_back({Root, 0});
    while (!Work.empty()) {
      unsigned V = Work.back().first;
      unsigned E = Work.back().second;
      if (E == 0) {
        Num[V] = Low[V] = Next++;
        Stack.push_back(V);
        OnStack[V] = true;
      }
      if (E < Succ[V].size()) {
        Work.back().second = E + 1;
        unsigned W = Succ[V][E];
        if (!Live[W])
          continue;
        if (Num[W] < 0)
          Work.push_back({W, 0});
        else if (OnStack[W])
          Low[V] = std::min(Low[V], Num[W]);
        continue;
      }
      if (Low[V] == Num[V]) {
        Comps.emplace_back();
        unsigned W;
        do {
          W = Stack.pop_back_val();
          OnStack[W] = false;
          Comp[W] = Comps.size() - 1;
          Comps.back().push_back(W);
        } while (W != V);
      }
      Work.pop_back();
      if (!Work.empty()) {
        unsigned P = Work.back().first;
        Low[P] = std::min(Low[P], Low[V]);
      }
    }
  }
  return Comps;
}

// Functions of the cyclic call-graph component C such that every cycle in
// C passes through one of them or through a function already checked (a
// feedback vertex set; small, not minimum).  A cycle through the outside
// (Ext, ExtCB) enters the module at an address-taken or externally visible
// function, so those of C that the outside reaches come first; what is
// left is cut one function per remaining cycle, the one with the most
// edges inside it.  A function that cannot be checked (GP_NO_ENTRY_CHECK)
// is never chosen: a cycle of only such functions stays unchecked, as the
// user asked.
SmallVector<unsigned, 8>
GPreempt::cycleCover(ArrayRef<unsigned> C,
                     const std::vector<SmallVector<unsigned, 4>> &Succ,
                     unsigned Ext, unsigned ExtCB) const {
  unsigned N = Funcs.size();
  SmallVector<unsigned, 8> Cover;
  std::vector<bool> Live(Succ.size(), false);
  for (unsigned V : C)
    Live[V] = true;
  auto Choosable = [&](unsigned V) { return V < N && Funcs[V].EntryUndecided; };
  auto Cut = [&](unsigned V) {
    Live[V] = false;
    if (Choosable(V))
      Cover.push_back(V);
  };
  for (unsigned V : C)
    if (V < N && Funcs[V].EntryCheck)
      Live[V] = false; // already cuts its cycles
  for (unsigned X : {Ext, ExtCB})
    if (Live[X])
      for (unsigned V : Succ[X])
        if (Live[V] && Choosable(V))
          Cut(V);
  for (;;) {
    std::vector<int> Comp;
    bool Cyclic = false;
    for (auto &D : stronglyConnected(Succ, Live, Comp)) {
      if (D.size() == 1 && !is_contained(Succ[D[0]], D[0]))
        continue;
      unsigned Best = ~0u, BestEdges = 0;
      for (unsigned V : D) {
        if (!Choosable(V))
          continue;
        unsigned Edges = 0;
        for (unsigned W : Succ[V])
          Edges += Comp[W] == Comp[V];
        for (unsigned U : D)
          Edges += (unsigned)count(Succ[U], V);
        if (Best == ~0u || Edges > BestEdges)
          Best = V, BestEdges = Edges;
      }
      if (Best == ~0u) { // nothing in it can be checked
        for (unsigned V : D)
          Live[V] = false;
        continue;
      }
      Cut(Best);
      Cyclic = true;
    }
    if (!Cyclic)
      return Cover;
  }
}

// entry=auto: a prologue check only where a goroutine's time or stack can
// grow without bound between checks (issue 9; Go checks every function that
// is not a small leaf because its stacks grow, ours are fixed):
//   - on each cycle of the call graph (recursion), one function: a cover of
//     each cyclic component (cycleCover), where an indirect call, or a call
//     to a function outside the module that may call back, is an edge to a
//     node standing for the outside, which has an edge to every
//     address-taken or externally visible function;
//   - functions whose chain of unchecked callees may use more than
//     kStackBudgetBytes of stack (frames estimated from the allocas), so
//     that the reserve below a check still holds what runs until the next;
//   - big frames (findBigAllocas, decided in classify).
// Everything else runs a bounded number of instructions per call except in
// its loops, which carry their own checks (or are left to the signal).
void GPreempt::decideEntryChecks(FunctionAnalysisManager &FAM) {
  // Nodes 0..N-1: Funcs; N: the outside; N+1: library functions that call
  // the pointers they are given (qsort), which reach only address-taken
  // functions.
  unsigned N = Funcs.size(), Ext = N, ExtCB = N + 1;
  DenseMap<const Function *, unsigned> Index;
  for (unsigned I = 0; I != N; ++I)
    Index[Funcs[I].F] = I;
  std::vector<SmallVector<unsigned, 4>> Succ(N + 2);
  std::vector<uint64_t> Frame(N, 0);
  const DataLayout &DL = M.getDataLayout();
  for (unsigned I = 0; I != N; ++I) {
    Function &F = *Funcs[I].F;
    if (F.hasAddressTaken() || !F.hasLocalLinkage())
      Succ[Ext].push_back(I);
    if (F.hasAddressTaken())
      Succ[ExtCB].push_back(I);
    auto &TLI = FAM.getResult<TargetLibraryAnalysis>(F);
    Frame[I] = kFrameOverheadBytes;
    for (Instruction &Inst : instructions(F)) {
      if (auto *AI = dyn_cast<AllocaInst>(&Inst)) {
        if (AI->isStaticAlloca())
          Frame[I] += DL.getTypeAllocSize(AI->getAllocatedType()).getKnownMinValue() *
                      cast<ConstantInt>(AI->getArraySize())->getZExtValue();
        continue;
      }
      auto *CB = dyn_cast<CallBase>(&Inst);
      if (!CB || CB->isInlineAsm())
        continue;
      const Function *Callee =
          dyn_cast<Function>(CB->getCalledOperand()->stripPointerCasts());
      if (!Callee) {
        Succ[I].push_back(Ext);
        continue;
      }
      auto It = Index.find(Callee);
      if (It != Index.end()) {
        Succ[I].push_back(It->second);
        if (Callee->isInterposable()) // another module's body may run
          Succ[I].push_back(Ext);
      } else if (Callee->isDeclaration()) {
        CallBack CBK = mayCallBack(*Callee, TLI);
        if (CBK == CallsBackAny) {
          Succ[I].push_back(Ext);
        } else if (CBK == CallsBackPointers) {
          // qsort(v, n, size, cmp): it calls the functions it is given.
          bool Direct = false;
          for (Value *Arg : CB->args())
            if (auto *AF = dyn_cast<Function>(Arg->stripPointerCasts())) {
              auto AIt = Index.find(AF);
              Succ[I].push_back(AIt != Index.end() ? AIt->second : Ext);
              Direct = true;
            }
          if (!Direct)
            Succ[I].push_back(ExtCB);
        }
      }
    }
    if (Funcs[I].BigBytes) // moved behind the check: not in the unchecked chain
      Frame[I] = Frame[I] > Funcs[I].BigBytes ? Frame[I] - Funcs[I].BigBytes : 0;
  }

  std::vector<int> Comp;
  auto Comps = stronglyConnected(Succ, std::vector<bool>(N + 2, true), Comp);

  // A cycle needs one check, not one per function on it: each cyclic
  // component gets a cover (cycleCover), and its other functions are
  // checked only for stack depth, as functions off every cycle are.
  std::vector<bool> Covered(N, false);
  std::vector<int> CoverOf(N, -1); // a checked function of V's component
  for (auto &C : Comps) {
    if (C.size() == 1 && !is_contained(Succ[C[0]], C[0]))
      continue;
    SmallVector<unsigned, 8> Cover = cycleCover(C, Succ, Ext, ExtCB);
    for (unsigned V : C)
      if (V < N && !Cover.empty())
        CoverOf[V] = Cover.front();
    for (unsigned V : Cover)
      Covered[V] = true;
  }

  // Callees first: Depth[v] = stack below v's entry until the next check.
  // Inside a component, the functions without a check form a DAG once the
  // cover is removed; DepthOf walks it.
  std::vector<uint64_t> Depth(N + 2, 0);
  std::vector<uint8_t> State(N, 0); // 0 new, 1 in progress, 2 done
  std::function<void(unsigned)> DepthOf = [&](unsigned V) {
    State[V] = 1;
    FuncInfo &FI = Funcs[V];
    uint64_t Below = 0;
    for (unsigned W : Succ[V]) {
      if (W >= N)
        continue;
      bool Checked = Funcs[W].EntryCheck || Covered[W];
      if (!Checked && Comp[W] == Comp[V]) {
        if (State[W] == 0)
          DepthOf(W);
        if (State[W] == 1) // a cycle nothing on it may check
          continue;
        Checked = Funcs[W].EntryCheck; // for its stack depth
      }
      Below = std::max(Below, Checked ? Frame[W] : Depth[W]);
    }
    Depth[V] = Frame[V] + Below;
    State[V] = 2;
    const char *Cycle = !Covered[V]                     ? nullptr
                        : Comps[Comp[V]].size() == 1 ? "it calls itself"
                                                     : "it is on a cycle of the call graph";
    decideEntryCheck(FI, FAM, Cycle,
                     CoverOf[V] < 0 ? nullptr : &Funcs[CoverOf[V]], Depth[V]);
    if (FI.EntryCheck)
      Depth[V] = Frame[V];
  };
  for (auto &C : Comps) {
    for (unsigned V : C) // the cover first: the others' depths end there
      if (V < N && Covered[V] && State[V] == 0)
        DepthOf(V);
    for (unsigned V : C)
      if (V < N && State[V] == 0)
        DepthOf(V);
  }
}

// The remark and the decision for one entry=auto function: Cycle (why it
// is in its component's cover), or Depth bytes of stack until the next
// check; Peer is a function of that cover when FI is on a cycle.
void GPreempt::decideEntryCheck(FuncInfo &FI, FunctionAnalysisManager &FAM,
                                const char *Cycle, const FuncInfo *Peer,
                                uint64_t Depth) {
  if (!FI.EntryUndecided)
    return;
  FI.EntryUndecided = false;
  Function &F = *FI.F;
  auto &ORE = FAM.getResult<OptimizationRemarkEmitterAnalysis>(F);
  DebugLoc Loc = functionLoc(F);
  std::string Why;
  if (Cycle)
    Why = Cycle;
  else if (Depth > kStackBudgetBytes)
    Why = "its unchecked callees may use " + std::to_string(Depth) +
          " bytes of stack";
  if (!Why.empty()) {
    FI.EntryCheck = true;
    ORE.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "EntryNeeded", Loc, &F.getEntryBlock())
             << "prologue check in " << F.getName() << ": " << Why;
    });
    return;
  }
  ++NumEntryExempt;
  bool OnCycle = Peer && Peer != &FI; // Peer is checked, or is about to be
  ORE.emit([&] {
    return OptimizationRemarkMissed(DEBUG_TYPE, "NoCycle", Loc, &F.getEntryBlock())
           << "no prologue check in " << F.getName() << ": "
           << (OnCycle ? "its call-graph cycles pass the check in " +
                             Peer->F->getName().str()
                       : std::string("not on a call-graph cycle"))
           << ", and at most " << std::to_string(Depth)
           << " bytes of stack until the next check";
  });
}

// Blocks of F that lie on a cycle of its CFG, reducible or not.
static SmallPtrSet<const BasicBlock *, 16> blocksOnCycles(Function &F) {
  SmallPtrSet<const BasicBlock *, 16> On;
  for (auto I = scc_begin(&F); !I.isAtEnd(); ++I)
    if (I.hasCycle())
      On.insert(I->begin(), I->end());
  return On;
}

// C library and POSIX calls that may wait in the kernel for as long as
// something else takes: sleeps, multiplexing, I/O on pipes, sockets, ttys
// and FIFOs, process and thread waits, file locks, stdio (its writes and
// reads are libc-internal system calls the runtime cannot interpose).
// Names as declared; FORTIFY_SOURCE's __X_chk and C99 scanf's __isoc99_X
// spellings are matched through blockingName().
static const char *const kBlockingCalls[] = {
    // sleeping and waiting for events
    "sleep", "usleep", "nanosleep", "clock_nanosleep", "pause", "poll", "ppoll",
    "select", "pselect", "epoll_wait", "epoll_pwait", "epoll_pwait2",
    "sigwait", "sigwaitinfo", "sigtimedwait", "sigsuspend", "sched_yield",
    // file descriptors (pipes, sockets, ttys, FIFOs)
    "read", "readv", "pread", "pread64", "preadv", "preadv2", "write", "writev",
    "pwrite", "pwrite64", "pwritev", "pwritev2", "recv", "recvfrom", "recvmsg",
    "recvmmsg", "send", "sendto", "sendmsg", "sendmmsg", "accept", "accept4",
    "connect", "open", "open64", "openat", "openat64", "creat", "close",
    "fsync", "fdatasync", "sync", "splice", "tee", "sendfile",
    "copy_file_range", "ioctl", "fcntl", "fcntl64", "flock", "lockf",
    // processes, threads, IPC
    "wait", "waitpid", "waitid", "wait3", "wait4", "system", "popen", "pclose",
    "pthread_join", "pthread_cond_wait", "pthread_cond_timedwait",
    "pthread_cond_clockwait", "pthread_mutex_lock", "pthread_mutex_timedlock",
    "pthread_rwlock_rdlock", "pthread_rwlock_wrlock", "pthread_barrier_wait",
    "sem_wait", "sem_timedwait", "sem_clockwait", "msgrcv", "msgsnd", "semop",
    "semtimedop", "mq_receive", "mq_send", "mq_timedreceive", "mq_timedsend",
    "syscall", "getaddrinfo", "gethostbyname", "gethostbyname_r",
    // stdio
    "getchar", "getc", "fgetc", "getc_unlocked", "fgets", "fread", "getline",
    "getdelim", "scanf", "fscanf", "vscanf", "vfscanf", "gets", "putchar", "putc",
    "fputc", "fputs", "puts", "fwrite", "printf", "fprintf", "vprintf",
    "vfprintf", "dprintf", "vdprintf", "fflush", "fclose", "perror"};

// Name with the spellings headers give the same function removed:
// __read_chk -> read, __isoc99_fscanf -> fscanf.
static StringRef blockingName(StringRef Name) {
  for (StringRef P : {"__isoc99_", "__isoc23_"})
    if (Name.size() > P.size() && Name.substr(0, P.size()) == P)
      return Name.substr(P.size());
  if (Name.size() > 6 && Name.substr(0, 2) == "__" &&
      Name.substr(Name.size() - 4) == "_chk")
    return Name.substr(2, Name.size() - 6);
  return Name;
}

// Under loops=async the signal preempts an async-safe function's loops, but
// only while the PC is in recorded code, and sysmon does not even signal a
// thread that waits in the kernel.  A goroutine that loops around a call
// waiting there without the runtime knowing -- GPDEBUG=interpose=0, an
// ioctl, a pthread_cond_wait, stdio on a full pipe -- holds its P for as
// long as the loop runs.  So a call on a CFG cycle that may wait in the
// kernel gets a check when it returns: the cycle then passes a check once
// per call, two instructions beside a system call's hundreds.
//
// Such a call ("opaque") is one to a declaration in kBlockingCalls, to a
// function of this module that is never checked (GP_NOPREEMPT, naked), or
// to one that reaches an opaque call with no check after it and has no
// prologue check itself (ReachesOpaque, a fixpoint over the module's calls:
// a loop around a static helper that calls poll() gets its check after the
// helper).  Other declarations are taken to be bounded or built with the
// pass: another file's function that calls out has its own prologue check
// (entry=auto puts one on every externally visible function on a cycle
// through the outside), and the C library's compute functions return.
// What this leaves out: a loop whose time is inside a library built without
// the pass that waits in system calls of its own, or computes for long; the
// signal preempts it only when it lands in the loop's own code
// (docs/design.md section 3).
void GPreempt::decideReturnChecks() {
  enum Kind { Bounded, Opaque, Depends };
  auto Classify = [&](const CallBase &CB, unsigned &Callee) {
    if (!isRealCall(CB) || CB.isInlineAsm() || isa<IntrinsicInst>(CB) ||
        CB.doesNotReturn() || CB.onlyReadsMemory())
      return Bounded;
    const auto *F =
        dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
    if (!F)
      return Bounded; // a pointer: to a function with its own checks
    const FuncInfo *CI = InfoOf.lookup(F);
    if (!CI)
      return is_contained(kBlockingCalls, blockingName(F->getName())) ? Opaque
                                                                      : Bounded;
    if (!CI->Instrument)
      return Opaque; // never checked
    if (CI->EntryCheck)
      return Bounded; // the check on entry is on the cycle
    Callee = CI - Funcs.data();
    return Depends;
  };

  unsigned N = Funcs.size();
  std::vector<SmallVector<unsigned, 4>> Callers(N);
  std::vector<SmallVector<std::pair<CallBase *, int>, 4>> OnCycle(N);
  // Some path from entry to return runs an opaque call with no check after.
  std::vector<bool> ReachesOpaque(N, false);
  SmallVector<unsigned, 16> Work;
  for (unsigned I = 0; I != N; ++I) {
    FuncInfo &FI = Funcs[I];
    if (!FI.Instrument)
      continue;
    SmallPtrSet<const BasicBlock *, 16> Cyclic;
    if (FI.LoopsToSignal)
      Cyclic = blocksOnCycles(*FI.F);
    for (Instruction &Inst : instructions(*FI.F)) {
      auto *CB = dyn_cast<CallBase>(&Inst);
      unsigned Callee = 0;
      Kind K = CB ? Classify(*CB, Callee) : Bounded;
      if (K == Bounded)
        continue;
      if (Cyclic.count(CB->getParent())) // gets a check if it needs one
        OnCycle[I].push_back({CB, K == Opaque ? -1 : (int)Callee});
      else if (FI.EntryCheck)
        continue; // its callers' cycles pass that check
      else if (K == Opaque)
        ReachesOpaque[I] = true;
      else
        Callers[Callee].push_back(I);
    }
    if (ReachesOpaque[I])
      Work.push_back(I);
  }
  while (!Work.empty())
    for (unsigned C : Callers[Work.pop_back_val()])
      if (!ReachesOpaque[C]) {
        ReachesOpaque[C] = true;
        Work.push_back(C);
      }
  for (unsigned I = 0; I != N; ++I)
    for (auto &P : OnCycle[I])
      if (P.second < 0 || ReachesOpaque[P.second])
        Funcs[I].ReturnChecks.push_back(P.first);
}

void GPreempt::insertReturnChecks(FuncInfo &FI, OptimizationRemarkEmitter &ORE) {
  for (CallBase *CB : FI.ReturnChecks) {
    Instruction *After = CB->getNextNode();
    if (auto *II = dyn_cast<InvokeInst>(CB)) {
      BasicBlock *Dest = II->getNormalDest();
      if (!Dest->getSinglePredecessor())
        Dest = SplitEdge(II->getParent(), Dest);
      After = &*Dest->getFirstInsertionPt();
    } else if (!isa<CallInst>(CB)) {
      continue; // callbr is inline asm: never opaque
    }
    const Function *Callee =
        dyn_cast<Function>(CB->getCalledOperand()->stripPointerCasts());
    ORE.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "ReturnCheck", CB)
             << "check after the call to "
             << (Callee ? Callee->getName() : StringRef("a function pointer"))
             << " in " << FI.F->getName()
             << ": the call is on a cycle and may wait in the kernel, where "
                "the signal does not preempt";
    });
    DebugLoc DL = CB->getDebugLoc();
    insertCheck(After, DL ? DL : functionLoc(*FI.F), FI, GP_SITE_CALLRET);
    ++NumReturnChecks;
  }
}

// Static allocas of a frame above GP_BIG_FRAME_BYTES, largest first, until
// what stays in the prologue's frame is at most GP_BIG_FRAME_BYTES.  They
// move behind the entry check, which compares sp - their size (Go's
// big-frame check): a frame that moved sp past the guard in one step would
// leave the slow path nowhere to run.
void GPreempt::findBigAllocas(FuncInfo &FI) const {
  const DataLayout &DL = M.getDataLayout();
  SmallVector<std::pair<uint64_t, AllocaInst *>, 8> Sized;
  uint64_t Total = 0;
  for (Instruction &I : FI.F->getEntryBlock()) {
    auto *AI = dyn_cast<AllocaInst>(&I);
    if (!AI || !AI->isStaticAlloca() || AI->isUsedWithInAlloca() ||
        AI->isSwiftError())
      continue;
    uint64_t N = cast<ConstantInt>(AI->getArraySize())->getZExtValue();
    uint64_t Bytes =
        DL.getTypeAllocSize(AI->getAllocatedType()).getKnownMinValue() * N +
        AI->getAlign().value() - 1;
    Total += Bytes;
    Sized.push_back({Bytes, AI});
  }
  if (Total <= GP_BIG_FRAME_BYTES)
    return;
  llvm::stable_sort(Sized, [](const std::pair<uint64_t, AllocaInst *> &A,
                              const std::pair<uint64_t, AllocaInst *> &B) {
    return A.first > B.first;
  });
  for (auto &P : Sized) {
    if (Total <= GP_BIG_FRAME_BYTES)
      break;
    FI.BigAllocas.push_back(P.second);
    FI.BigBytes += P.first;
    Total -= P.first;
  }
}

// The prologue check: after the entry block's static allocas and the stores
// that spill arguments into them (with -O0 -g a check between a spill and
// its dbg.declare shows the argument unset at `break f`).  A big frame's
// large allocas follow the check, which compares sp - their size.
void GPreempt::insertEntryCheck(FuncInfo &FI, OptimizationRemarkEmitter &ORE) {
  Function &F = *FI.F;
  BasicBlock &Entry = F.getEntryBlock();
  SmallPtrSet<const Value *, 4> Big(FI.BigAllocas.begin(), FI.BigAllocas.end());
  auto IsPrefix = [&](Instruction &I) {
    if (isa<AllocaInst>(I) || isa<DbgInfoIntrinsic>(I))
      return true;
    auto *SI = dyn_cast<StoreInst>(&I);
    return SI && !SI->isVolatile() && isa<Argument>(SI->getValueOperand()) &&
           isa<AllocaInst>(SI->getPointerOperand()) &&
           !Big.count(SI->getPointerOperand());
  };
  BasicBlock::iterator It = Entry.begin();
  while (IsPrefix(*It))
    ++It;
  if (FI.BigAllocas.empty()) {
    ORE.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "PrologueCheck", functionLoc(F),
                                &Entry)
             << "prologue check in " << F.getName();
    });
    insertCheck(&*It, functionLoc(F), FI, GP_SITE_PROLOGUE);
    ++NumPrologueChecks;
    return;
  }
  Instruction *Cont = &*It;
  // Debug intrinsics of the moved allocas move with them.
  SmallVector<Instruction *, 4> MovedDbg;
  for (Instruction &I : make_range(Entry.begin(), It))
    if (auto *DI = dyn_cast<DbgVariableIntrinsic>(&I))
      if (any_of(DI->location_ops(), [&](Value *V) { return Big.count(V); }))
        MovedDbg.push_back(DI);
  insertCheck(Cont, functionLoc(F), FI, GP_SITE_BIGFRAME,
              ConstantInt::get(Int64Ty, FI.BigBytes));
  ++NumPrologueChecks;
  BasicBlock *ContBB = Cont->getParent();
  for (AllocaInst *AI : FI.BigAllocas)
    AI->moveBefore(*ContBB, Cont->getIterator());
  for (Instruction *DI : MovedDbg)
    DI->moveBefore(*ContBB, Cont->getIterator());
}

// Every dynamic alloca (VLA, alloca()) is checked against its size before
// it moves sp.
void GPreempt::insertAllocaChecks(FuncInfo &FI, OptimizationRemarkEmitter &ORE) {
  const DataLayout &DL = M.getDataLayout();
  SmallVector<AllocaInst *, 4> Dynamic;
  for (Instruction &I : instructions(*FI.F))
    if (auto *AI = dyn_cast<AllocaInst>(&I))
      if (!AI->isStaticAlloca() && !AI->isUsedWithInAlloca())
        Dynamic.push_back(AI);
  for (AllocaInst *AI : Dynamic) {
    IRBuilder<> IRB(AI);
    uint64_t Elem =
        DL.getTypeAllocSize(AI->getAllocatedType()).getKnownMinValue();
    Value *N = IRB.CreateZExtOrTrunc(AI->getArraySize(), Int64Ty);
    // N * Elem + align, saturating: an overflow is a huge request.
    Value *Mul = IRB.CreateBinaryIntrinsic(Intrinsic::umul_with_overflow, N,
                                           ConstantInt::get(Int64Ty, Elem));
    Value *Bytes = IRB.CreateSelect(
        IRB.CreateExtractValue(Mul, 1), ConstantInt::get(Int64Ty, UINT64_MAX),
        IRB.CreateBinaryIntrinsic(
            Intrinsic::uadd_sat, IRB.CreateExtractValue(Mul, 0),
            ConstantInt::get(Int64Ty, AI->getAlign().value())),
        "gp.bytes");
    DebugLoc Loc = AI->getDebugLoc() ? AI->getDebugLoc() : functionLoc(*FI.F);
    ORE.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "AllocaCheck", AI)
             << "alloca check in " << FI.F->getName();
    });
    insertCheck(AI, Loc, FI, GP_SITE_ALLOCA, Bytes);
  }
}

void GPreempt::markElided(BasicBlock *BB, StringRef Reason) {
  BB->getTerminator()->setMetadata(
      kElidedMD, MDNode::get(Ctx, {MDString::get(Ctx, Reason)}));
  ++NumBackedgesElided;
}

// Emits the check of design.md section 1 before InsertBefore; with Bytes,
// the big-frame form that checks sp - Bytes (section 1, "Big frames").
void GPreempt::insertCheck(Instruction *InsertBefore, DebugLoc DL,
                           const FuncInfo &FI, uint16_t Kind, Value *Bytes) {
  IRBuilder<> IRB(InsertBefore);
  IRB.SetCurrentDebugLocation(DL);
  // unordered: x86 folds it into the cmp (a volatile or monotonic load is
  // not folded).  Only codegen runs after OptimizerLast, and MachineLICM
  // keeps a load in a loop that calls (the slow path is a call in the same
  // loop).  Before an LTO link, which re-optimises the IR (ThinLTO's GVN
  // load-PRE moves an unordered load out of the loop), it is volatile.
  // Under ThreadSanitizer, volatile too: TSan turns an atomic load into
  // __tsan_atomic64_load(0x70), which faults, while it leaves plain loads
  // from another address space (%fs) alone.
  bool Volatile = VolatileGuard || FI.F->hasFnAttribute(Attribute::SanitizeThread);
  LoadInst *G = IRB.CreateAlignedLoad(Int64Ty, GuardPtr, Align(8), Volatile,
                                      "gp.guard");
  if (!Volatile)
    G->setAtomic(AtomicOrdering::Unordered);
  Value *SP = IRB.CreateCall(ReadRegister, {SPRegName}, "gp.sp");
  if (Bytes) // saturating: a size beyond sp is an overflow, not a wrap
    SP = IRB.CreateBinaryIntrinsic(Intrinsic::usub_sat, SP, Bytes, nullptr,
                                   "gp.need");
  Value *Hit = IRB.CreateICmpULT(SP, G, "gp.hit");
  Instruction *SlowTerm =
      SplitBlockAndInsertIfThen(Hit, InsertBefore, /*Unreachable=*/false,
                                ColdWeights);
  BasicBlock *Head = cast<Instruction>(Hit)->getParent();
  Head->getTerminator()->setDebugLoc(DL);
  SlowTerm->setDebugLoc(DL);
  SlowTerm->getParent()->setName("gp.slow");
  InsertBefore->getParent()->setName("gp.cont");
  IRBuilder<> SB(SlowTerm);
  SB.SetCurrentDebugLocation(DL);
  CallInst *Call =
      Bytes ? SB.CreateCall(SlowPathFrame, {ConstantPointerNull::get(PtrTy), Bytes})
            : SB.CreateCall(SlowPath, {ConstantPointerNull::get(PtrTy)});
  Call->setCallingConv(CallingConv::PreserveMost);
  Call->setDoesNotThrow();
  uint32_t Line = DL ? DL.getLine() : 0;
  uint16_t Col = DL ? (uint16_t)std::min<unsigned>(DL.getCol(), UINT16_MAX) : 0;
  Sites.push_back({Call, FI.RecordIdx, Line, Col, Kind});
}

// Why loop L needs no check on its latches, or null.  CallBlock is set when
// the reason is a dominating call to a checked function.
const char *GPreempt::loopElisionReason(Loop *L, FuncInfo &FI,
                                        DominatorTree &DT,
                                        FunctionAnalysisManager &FAM,
                                        BasicBlock *&CallBlock) {
  SmallVector<BasicBlock *, 4> Latches;
  L->getLoopLatches(Latches);

  // (b) Every iteration calls a function of this module that checks on entry.
  for (BasicBlock *BB : L->blocks()) {
    bool Calls = any_of(*BB, [&](Instruction &I) {
      auto *CB = dyn_cast<CallBase>(&I);
      const Function *Callee = CB ? CB->getCalledFunction() : nullptr;
      // The body the call reaches must be this one: not a weak definition
      // another module may replace, nor an available_externally copy.
      if (!Callee || Callee->isInterposable() ||
          Callee->hasAvailableExternallyLinkage())
        return false;
      const FuncInfo *CI = InfoOf.lookup(Callee);
      return CI && CI->EntryCheck;
    });
    if (Calls && all_of(Latches, [&](BasicBlock *Latch) {
          return DT.dominates(BB, Latch);
        })) {
      CallBlock = BB;
      return "every iteration calls a function with a prologue check";
    }
  }

  // (a) Short: innermost, call-free, no irreducible cycle inside, and a
  // constant bound on the trip count.
  if (!L->isInnermost())
    return nullptr;
  for (const Edge &E : FI.BackEdges)
    if (L->contains(E.first) && L->contains(E.second) &&
        E.second != L->getHeader())
      return nullptr;
  uint64_t Body = 0;
  for (BasicBlock *BB : L->blocks())
    for (Instruction &I : *BB) {
      if (isRealCall(I))
        return nullptr;
      Body += !isa<PHINode>(I) && !isa<DbgInfoIntrinsic>(I);
    }
  auto &SE = FAM.getResult<ScalarEvolutionAnalysis>(*FI.F);
  unsigned Trips = SE.getSmallConstantMaxTripCount(L);
  if (Trips == 0)
    return nullptr;
  if (Trips <= Opts.LoopMaxTrips)
    return "constant trip count at most -gpreempt-loop-max-trips";
  // A longer constant bound on a small body: all its iterations together are
  // no more than a strip-mined chunk (kStripChunkInsts instructions).
  if (Trips * std::max<uint64_t>(Body, 1) <= kStripChunkInsts)
    return "constant trip count times body size within a chunk";
  return nullptr;
}

// Whether L can be strip-mined, and how (StripPlan).  The shape: innermost,
// call-free, no irreducible cycle inside, one block entering it (made a
// preheader if it branches elsewhere too), one latch which is
// also the only block that leaves the loop, with `br (icmp X, N)` where N is
// loop-invariant and X is an affine induction value of constant step (a
// header phi, or that phi plus constants: `i + 1`, a GEP) of at most 64 bits.
// The exit test needs no computable trip count: `X != N` (any step),
// `X < N` (step > 0) and `X > N` (step < 0), signed or not, let the pass set
// a limit exactly Chunk steps ahead or at N, whichever is nearer.
bool GPreempt::planStripMine(Loop *L, FuncInfo &FI, ScalarEvolution &SE,
                             StripPlan &P) const {
  if (!ClStripMine || !L->isInnermost())
    return false;
  for (const Edge &E : FI.BackEdges)
    if (L->contains(E.first) && L->contains(E.second) &&
        E.second != L->getHeader())
      return false;
  BasicBlock *Latch = L->getLoopLatch(), *Pre = L->getLoopPredecessor();
  BasicBlock *H = L->getHeader();
  if (!Latch || !Pre || L->getExitingBlock() != Latch || pred_size(H) != 2 ||
      !(isa<BranchInst>(Pre->getTerminator()) ||
        isa<SwitchInst>(Pre->getTerminator())))
    return false;
  unsigned Body = 0;
  for (BasicBlock *BB : L->blocks())
    for (Instruction &I : *BB) {
      if (isRealCall(I) || I.isEHPad())
        return false;
      Body += !isa<PHINode>(I) && !isa<DbgInfoIntrinsic>(I);
    }
  auto *Br = dyn_cast<BranchInst>(Latch->getTerminator());
  auto *Cmp = Br && Br->isConditional() ? dyn_cast<ICmpInst>(Br->getCondition())
                                        : nullptr;
  if (!Cmp || Br->getSuccessor(0) == Br->getSuccessor(1))
    return false;
  Value *X = Cmp->getOperand(0), *N = Cmp->getOperand(1);
  CmpInst::Predicate Pred = Cmp->getPredicate();
  if (L->isLoopInvariant(X)) {
    std::swap(X, N);
    Pred = CmpInst::getSwappedPredicate(Pred);
  }
  if (!L->isLoopInvariant(N) || L->isLoopInvariant(X))
    return false;
  if (Br->getSuccessor(0) != H)
    Pred = CmpInst::getInversePredicate(Pred);
  const auto *AR = dyn_cast<SCEVAddRecExpr>(SE.getSCEV(X));
  const auto *StepC =
      AR && AR->getLoop() == L && AR->isAffine()
          ? dyn_cast<SCEVConstant>(AR->getStepRecurrence(SE))
          : nullptr;
  if (!StepC)
    return false;
  int64_t Step = StepC->getAPInt().getSExtValue();
  bool Up = Step > 0;
  bool PredOK = Pred == CmpInst::ICMP_NE ||
                (Up && (Pred == CmpInst::ICMP_ULT || Pred == CmpInst::ICMP_SLT)) ||
                (!Up && (Pred == CmpInst::ICMP_UGT || Pred == CmpInst::ICMP_SGT));
  if (Step == 0 || !PredOK)
    return false;
  // X is the IV phi itself or the phi combined with constants.
  PHINode *IV = dyn_cast<PHINode>(X);
  if (!IV) {
    auto *XI = dyn_cast<Instruction>(X);
    if (!XI || !(isa<BinaryOperator>(XI) || isa<GetElementPtrInst>(XI)))
      return false;
    for (Value *Op : XI->operands()) {
      if (isa<Constant>(Op))
        continue;
      auto *Phi = dyn_cast<PHINode>(Op);
      if (!Phi || IV)
        return false;
      IV = Phi;
    }
  }
  if (!IV || IV->getParent() != H)
    return false;
  const DataLayout &DL = M.getDataLayout();
  Type *Ty = X->getType();
  if (!Ty->isIntegerTy() && !Ty->isPointerTy())
    return false;
  uint64_t Bits = DL.getTypeSizeInBits(Ty);
  if (Bits > 64 || Bits < 8)
    return false;
  uint64_t Chunk = std::min<uint64_t>(kStripMaxIters, kStripChunkInsts / std::max(Body, 1u));
  uint64_t AbsStep = Step < 0 ? 0 - (uint64_t)Step : (uint64_t)Step;
  if (Chunk < kStripMinIters || AbsStep > (UINT64_C(1) << (Bits - 2)) / Chunk)
    return false; // Chunk steps must not wrap X's type
  P = {Br, H, X, N, IV, Pred, Step, Chunk, Br->getDebugLoc()};
  return true;
}

// Strip-mines the loop of P (design.md section 3, "Strip-mining"):
//   preheader: lim0 = (first X Cont N && dist(first X) > Chunk*|Step|)
//                     ? first X + Chunk*Step : N
//   header:    lim = phi [lim0, preheader], [lim, latch], [limN, check]
//   latch:     br (X Cont lim), header, end       ; was (X Cont N)
//   end:       br (X Cont N), check, exit         ; the original test
//   check:     check; limN = (dist(X) > Chunk*|Step|) ? X + Chunk*Step : N
//              br header
// dist(V) = N - V for a positive step, V - N for a negative one (unsigned;
// in check, X Cont N holds, so it is the true distance).  While X Cont lim
// holds so does X Cont N (lim is at or before N), so no iteration runs that
// the original would not, and at most Chunk + 1 run between checks.
void GPreempt::stripMine(const StripPlan &P, FuncInfo &FI) {
  Function &F = *FI.F;
  BranchInst *Br = P.Br;
  BasicBlock *Latch = Br->getParent();
  unsigned HIdx = Br->getSuccessor(0) == P.Header ? 0 : 1;
  BasicBlock *Exit = Br->getSuccessor(1 - HIdx);
  Type *Ty = P.X->getType();
  Type *IntTy = Ty->isPointerTy() ? M.getDataLayout().getIntPtrType(Ty) : Ty;
  uint64_t AbsStep = P.Step < 0 ? 0 - (uint64_t)P.Step : (uint64_t)P.Step;
  Constant *Reach = ConstantInt::get(IntTy, P.Chunk * AbsStep);
  Constant *Advance = ConstantInt::get(IntTy, (uint64_t)P.Step * P.Chunk);
  auto AsInt = [&](IRBuilder<> &B, Value *V) {
    return Ty->isPointerTy() ? B.CreatePtrToInt(V, IntTy) : V;
  };
  // The next limit from V, when V Cont N holds.
  auto NextLimit = [&](IRBuilder<> &B, Value *V) -> Value * {
    Value *VI = AsInt(B, V), *NI = AsInt(B, P.N);
    Value *Dist = P.Step > 0 ? B.CreateSub(NI, VI) : B.CreateSub(VI, NI);
    Value *Far = B.CreateICmpUGT(Dist, Reach, "gp.strip.far");
    Value *Ahead = B.CreateAdd(VI, Advance);
    if (Ty->isPointerTy())
      Ahead = B.CreateIntToPtr(Ahead, Ty);
    return B.CreateSelect(Far, Ahead, P.N, "gp.strip.next");
  };

  // The first limit, from X's value on the first iteration, in a preheader
  // (found again: the checks inserted before may have split the block that
  // enters the loop).
  BasicBlock *Pre = nullptr;
  for (BasicBlock *B : predecessors(P.Header))
    if (B != Latch)
      Pre = B;
  if (Pre->getSingleSuccessor() != P.Header)
    Pre = SplitEdge(Pre, P.Header);
  IRBuilder<> PB(Pre->getTerminator());
  PB.SetCurrentDebugLocation(P.DL);
  Value *Start = P.IV->getIncomingValueForBlock(Pre);
  Value *First = Start;
  if (P.X != P.IV) {
    Instruction *C = cast<Instruction>(P.X)->clone();
    C->replaceUsesOfWith(P.IV, Start);
    PB.Insert(C, "gp.strip.first");
    First = C;
  }
  Value *Lim0 = NextLimit(PB, First);
  Lim0 = PB.CreateSelect(PB.CreateICmp(P.Cont, First, P.N), Lim0, P.N,
                         "gp.strip.lim0");

  PHINode *Lim = PHINode::Create(Ty, 3, "gp.strip.lim", &P.Header->front());
  Lim->addIncoming(Lim0, Pre);
  Lim->addIncoming(Lim, Latch);

  BasicBlock *End = BasicBlock::Create(Ctx, "gp.strip.end", &F, Exit);
  BasicBlock *Check = BasicBlock::Create(Ctx, "gp.strip.check", &F, Exit);
  // end: the original test, its way back to the header now through check.
  BranchInst *EndBr = HIdx == 0
                          ? BranchInst::Create(Check, Exit, Br->getCondition(), End)
                          : BranchInst::Create(Exit, Check, Br->getCondition(), End);
  EndBr->copyMetadata(*Br, {LLVMContext::MD_prof});
  EndBr->setDebugLoc(P.DL);
  Exit->replacePhiUsesWith(Latch, End);
  // latch: the chunk's test.
  IRBuilder<> LB(Br);
  LB.SetCurrentDebugLocation(P.DL);
  Value *InChunk = LB.CreateICmp(P.Cont, P.X, Lim, "gp.strip.more");
  BranchInst *NewBr = LB.CreateCondBr(InChunk, P.Header, End);
  NewBr->setMetadata(LLVMContext::MD_prof,
                     MDBuilder(Ctx).createBranchWeights(P.Chunk, 1));
  Br->eraseFromParent();
  // check: the next limit, then back to the header with the latch's values.
  IRBuilder<> CB(Check);
  CB.SetCurrentDebugLocation(P.DL);
  // X through a phi of end (LCSSA form): loop strength reduction then sees
  // one use of X after the loop instead of the distance arithmetic, which
  // it would otherwise keep as another induction variable in the chunk.
  PHINode *At = PHINode::Create(Ty, 1, "gp.strip.at", EndBr);
  At->addIncoming(P.X, Latch);
  Value *LimN = NextLimit(CB, At);
  CB.CreateBr(P.Header);
  for (PHINode &Phi : P.Header->phis())
    if (&Phi != Lim)
      Phi.addIncoming(Phi.getIncomingValueForBlock(Latch), Check);
  Lim->addIncoming(LimN, Check);
  markElided(Latch, kStripReason);
  insertCheck(Check->getTerminator(), P.DL, FI, GP_SITE_BACKEDGE);
  ++NumBackedgeChecks;
  ++NumStripMined;
}

// A computed-goto dispatch loop (an interpreter's `goto *disptab[op]`): the
// header ends in indirectbr.  clang sends every `goto *` through one such
// block, and codegen copies that small block into each handler (threaded
// dispatch: one indirect jump per handler, which the branch predictor learns
// per opcode).  A check on the latch that feeds the header, or in the header
// itself, makes the block too big to copy: lua's luaV_execute went from 79
// indirect jumps to 4, every bytecode paying a jump to the shared dispatch on
// top of the check.  So the check goes at the top of each successor of the
// header that is inside the loop instead: every cycle through the header
// leaves it through one of them, so each iteration still passes exactly one
// check, and the header stays copyable.  Sets Targets and returns true for
// such a loop; false when a target cannot hold a check (an EH pad).
static bool dispatchTargets(Loop *L, SmallVectorImpl<BasicBlock *> &Targets) {
  BasicBlock *H = L->getHeader();
  if (!isa<IndirectBrInst>(H->getTerminator()))
    return false;
  SmallPtrSet<BasicBlock *, 16> Seen;
  for (BasicBlock *S : successors(H)) {
    if (!L->contains(S) || !Seen.insert(S).second)
      continue;
    if (S->isEHPad() || S->getFirstInsertionPt() == S->end())
      return false;
    Targets.push_back(S);
  }
  return !Targets.empty();
}

void GPreempt::insertBackEdgeChecks(FuncInfo &FI, FunctionAnalysisManager &FAM,
                                    OptimizationRemarkEmitter &ORE) {
  Function &F = *FI.F;
  if (FI.BackEdges.empty())
    return;
  if (!FI.LoopsOn) { // also false under LoopsToSignal
    // The signal covers an async-safe function's loops under loops=async;
    // otherwise loop checks are off for this function.
    const char *Why =
        FI.LoopsToSignal
            ? ": -gpreempt-loops=async and the function is async-safe, so the "
              "preemption signal preempts its loops"
            : ": loop checks are off (-gpreempt-loops, GP_FILE_OPTIONS or "
              "GP_NO_LOOP_CHECKS)";
    ORE.emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE,
                                      FI.LoopsToSignal ? "LoopsAsync" : "LoopsOff",
                                      functionLoc(F), &F.getEntryBlock())
             << "no back-edge checks in " << F.getName() << Why;
    });
    for (const Edge &E : FI.BackEdges)
      markElided(E.first, FI.LoopsToSignal ? "async" : "loops-off");
    return;
  }

  // Collect: which edges get a check, which blocks stand for an elision.
  auto &LI = FAM.getResult<LoopAnalysis>(F);
  auto &DT = FAM.getResult<DominatorTreeAnalysis>(F);
  DenseMap<Loop *, std::pair<const char *, BasicBlock *>> Decided;
  struct Plan {
    Edge E;
    DebugLoc DL;
  };
  SmallVector<Plan, 8> Checks;
  SmallVector<std::pair<BasicBlock *, const char *>, 4> Elided;
  // Dispatch loops: blocks that get a check at their top instead of the
  // loop's latches (see dispatchTargets).
  SmallVector<std::pair<BasicBlock *, DebugLoc>, 8> AtTop;
  SmallPtrSet<Loop *, 4> Dispatch, Strip, AtHeader;
  SmallVector<StripPlan, 4> StripPlans;
  for (const Edge &E : FI.BackEdges) {
    Instruction *Term = E.first->getTerminator();
    DebugLoc DL = Term->getDebugLoc();
    if (!DL)
      DL = functionLoc(F);
    Loop *L = LI.getLoopFor(E.second);
    if (L && L->getHeader() == E.second && Dispatch.count(L))
      continue; // covered by the checks at the tops of its targets
    if (L && L->getHeader() == E.second && L->contains(E.first) &&
        !Decided.count(L)) {
      SmallVector<BasicBlock *, 16> Targets;
      if (dispatchTargets(L, Targets)) {
        ORE.emit([&] {
          return OptimizationRemark(DEBUG_TYPE, "DispatchCheck", Term)
                 << "dispatch loop in " << F.getName() << ": a check at the top "
                 << "of each of its " << std::to_string(Targets.size())
                 << " in-loop targets instead of on its latches";
        });
        for (BasicBlock *T : Targets) {
          Instruction *First = &*T->getFirstInsertionPt();
          DebugLoc TDL = First->getDebugLoc();
          AtTop.push_back({T, TDL ? TDL : DL});
        }
        Dispatch.insert(L);
        continue;
      }
    }
    if (L && L->getHeader() == E.second && Strip.count(L))
      continue;
    if (L && L->getHeader() == E.second && L->contains(E.first) &&
        !Decided.count(L)) {
      BasicBlock *CallBlock = nullptr;
      StripPlan SP;
      if (!loopElisionReason(L, FI, DT, FAM, CallBlock) &&
          planStripMine(L, FI, FAM.getResult<ScalarEvolutionAnalysis>(F), SP)) {
        ORE.emit([&] {
          return OptimizationRemark(DEBUG_TYPE, "StripMined", Term)
                 << "strip-mined loop in " << F.getName() << ": one check per "
                 << std::to_string(SP.Chunk) << " iterations";
        });
        Strip.insert(L);
        StripPlans.push_back(SP);
        continue;
      }
    }
    if (L && L->getHeader() == E.second && L->contains(E.first)) {
      auto It = Decided.find(L);
      if (It == Decided.end()) {
        BasicBlock *CallBlock = nullptr;
        const char *Why = loopElisionReason(L, FI, DT, FAM, CallBlock);
        It = Decided.insert({L, {Why, CallBlock}}).first;
        if (Why) {
          ORE.emit([&] {
            return OptimizationRemarkMissed(DEBUG_TYPE, "BackedgeElided", Term)
                   << "no back-edge check in loop of " << F.getName() << ": "
                   << Why;
          });
          if (CallBlock)
            Elided.push_back({CallBlock, "call"});
        }
      }
      if (It->second.first) {
        if (!It->second.second)
          Elided.push_back({E.first, "trip-count"});
        continue;
      }
    }
    ORE.emit([&] {
      return OptimizationRemark(DEBUG_TYPE, "BackedgeCheck", Term)
             << "back-edge check in " << F.getName()
             << (L && L->getHeader() == E.second ? "" : " (irreducible cycle)");
    });
    bool Natural = L && L->getHeader() == E.second && L->contains(E.first);
    if (Natural && ClHeaderChecks && !E.second->isEHPad()) {
      if (AtHeader.insert(L).second)
        AtTop.push_back({E.second, DL});
      continue;
    }
    Checks.push_back({E, DL});
  }

  // Mutate.
  for (auto &P : Elided)
    markElided(P.first, P.second);
  // An edge out of a br/switch with other successors gets a block of its
  // own, except in a long one-block loop (a constant trip count of at least
  // kSelfLoopMinTrips): there the check goes before the br, so that the loop
  // stays one block ending in the branch back.  A block of its own on the
  // back edge made codegen end the hash kernel's byte loop with `je exit;
  // check; jmp header`, one instruction more per iteration (+11.9% -> +9.9%
  // in full cooperative mode); but the check before the br also runs on the
  // way out, and on every one-block loop that cost more than it saved
  // (short loops: the nested-loop kernel +3.1% -> +9.1%, the calls kernel
  // +5.0% -> +16.2%, every real program 0.2-1.3 points worse).
  auto longSelfLoop = [&](BasicBlock *BB) {
    Loop *SL = LI.getLoopFor(BB);
    if (!ClSelfLoopInBlock || !SL || SL->getHeader() != BB)
      return false;
    auto &SE = FAM.getResult<ScalarEvolutionAnalysis>(F);
    return SE.getSmallConstantTripCount(SL) >= kSelfLoopMinTrips;
  };
  // indirectbr, callbr and invoke edges cannot be split, so there the
  // check goes before the terminator, on every way out of the block; so does
  // it when the edge is the block's only way out.
  SmallVector<std::pair<BasicBlock *, DebugLoc>, 4> BeforeTerm;
  SmallVector<Plan, 8> Split;
  for (const Plan &P : Checks) {
    BasicBlock *From = P.E.first;
    Instruction *Term = From->getTerminator();
    bool OnlyWayOut = all_of(successors(From),
                             [&](BasicBlock *S) { return S == P.E.second; });
    if (OnlyWayOut || !(isa<BranchInst>(Term) || isa<SwitchInst>(Term)) ||
        (From == P.E.second && isa<BranchInst>(Term) && longSelfLoop(From)))
      BeforeTerm.push_back({From, P.DL});
    else
      Split.push_back(P);
  }
  for (const Plan &P : Split) {
    Instruction *Term = P.E.first->getTerminator();
    for (unsigned I = 0, N = Term->getNumSuccessors(); I != N; ++I) {
      if (Term->getSuccessor(I) != P.E.second)
        continue;
      BasicBlock *NB = SplitCriticalEdge(
          Term, I, CriticalEdgeSplittingOptions().setMergeIdenticalEdges());
      insertCheck(NB ? NB->getTerminator() : Term, P.DL, FI, GP_SITE_BACKEDGE);
      ++NumBackedgeChecks;
      break;
    }
  }
  for (auto &T : AtTop) {
    insertCheck(&*T.first->getFirstInsertionPt(), T.second, FI,
                GP_SITE_BACKEDGE);
    ++NumBackedgeChecks;
  }
  SmallPtrSet<BasicBlock *, 8> Done;
  for (auto &B : BeforeTerm) {
    if (!Done.insert(B.first).second)
      continue; // one check covers every edge out of the block
    insertCheck(B.first->getTerminator(), B.second, FI, GP_SITE_BACKEDGE);
    ++NumBackedgeChecks;
  }
  // Last: the checks above may have split the blocks around these loops
  // (never the latch branches, which the plans hold).
  for (const StripPlan &SP : StripPlans)
    stripMine(SP, FI);
}

void GPreempt::instrumentFunction(FuncInfo &FI, FunctionAnalysisManager &FAM) {
  Function &F = *FI.F;
  auto &ORE = FAM.getResult<OptimizationRemarkEmitterAnalysis>(F);
  insertBackEdgeChecks(FI, FAM, ORE);
  insertReturnChecks(FI, ORE);
  insertAllocaChecks(FI, ORE);
  if (FI.EntryCheck)
    insertEntryCheck(FI, ORE);
  FAM.invalidate(F, PreservedAnalyses::none());
}

Constant *GPreempt::getString(StringRef S) {
  Constant *&C = Strings[S];
  if (C)
    return C;
  Constant *Init = ConstantDataArray::getString(Ctx, S);
  auto *GV = new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                                GlobalValue::PrivateLinkage, Init, "gp.str");
  GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  GV->setAlignment(Align(1));
  C = ConstantExpr::getPointerCast(GV, PtrTy);
  return C;
}

// gpt_<16 hex>: a hash of the module id, source file and recorded functions,
// so that two modules linked together never share a section.
std::string GPreempt::sectionName() const {
  MD5 Hash;
  auto Add = [&](StringRef S) {
    Hash.update(S);
    Hash.update(ArrayRef<uint8_t>{0});
  };
  Add(M.getModuleIdentifier());
  Add(M.getSourceFileName());
  // Two files compiled as "util.c" from different directories differ here.
  for (const DICompileUnit *CU : M.debug_compile_units())
    Add(CU->getDirectory());
  for (const FuncInfo &FI : Funcs)
    if (FI.Record)
      Add(FI.F->getName());
  MD5::MD5Result R;
  Hash.final(R);
  std::string Name;
  raw_string_ostream OS(Name);
  OS << kSectionPrefix << format_hex_no_prefix(R.low(), 16);
  return OS.str();
}

// Builds funcs[], sites[] and the gp_module_t of design.md section 2, and
// the constructor/destructor that register them.
void GPreempt::emitTables() {
  // Field by field as in gpreempt_abi.h.
  StructType *FuncTy = StructType::create(
      Ctx, {PtrTy, PtrTy, PtrTy, Int32Ty, Int16Ty, Int16Ty}, "gp_func_t");
  StructType *SiteTy =
      StructType::create(Ctx, {PtrTy, Int32Ty, Int16Ty, Int16Ty}, "gp_site_t");
  StructType *ModTy = StructType::create(
      Ctx,
      {Int32Ty, Int32Ty, Int32Ty, Int32Ty, PtrTy, PtrTy, PtrTy,
#if LLVM_VERSION_MAJOR >= 17
       PtrTy, PtrTy,
#else
       PointerType::getUnqual(FuncTy), PointerType::getUnqual(SiteTy),
#endif
       ArrayType::get(PtrTy, 2)},
      "gp_module_t");

  bool ELF = Triple(M.getTargetTriple()).isOSBinFormatELF();
  std::string Section = sectionName();
  SmallVector<Constant *, 64> FuncRecs;
  for (FuncInfo &FI : Funcs) {
    if (!FI.Record)
      continue;
    Function &F = *FI.F;
    // A function with a section of its own keeps it (design.md section 2).
    if (ELF && !F.hasSection())
      F.setSection(Section);
    DISubprogram *SP = F.getSubprogram();
    uint16_t Flags = (FI.EntryCheck ? GP_FUNC_ENTRY_CHECK : 0) |
                     (FI.LoopsOn ? GP_FUNC_LOOP_CHECKS : 0);
    FuncRecs.push_back(ConstantStruct::get(
        FuncTy, {ConstantExpr::getPointerCast(&F, PtrTy), getString(F.getName()),
                 getString(SP ? SP->getFilename() : ""),
                 ConstantInt::get(Int32Ty, SP ? SP->getLine() : 0),
                 ConstantInt::get(Int16Ty, FI.Unsafe),
                 ConstantInt::get(Int16Ty, Flags)}));
    ++NumFuncsRecorded;
  }
  if (FuncRecs.empty())
    return;

  // Writable: the runtime sorts it by address at registration.
  ArrayType *FuncsTy = ArrayType::get(FuncTy, FuncRecs.size());
  auto *FuncsGV = new GlobalVariable(M, FuncsTy, /*isConstant=*/false,
                                     GlobalValue::PrivateLinkage,
                                     ConstantArray::get(FuncsTy, FuncRecs),
                                     "gp.funcs");
  // Sites point into a read-only copy of the records: the runtime sorts
  // funcs[] in place at registration, which would leave pointers into it
  // naming the wrong function.
  GlobalVariable *SiteFuncsGV = nullptr;
  if (!Sites.empty()) {
    SiteFuncsGV = new GlobalVariable(M, FuncsTy, /*isConstant=*/true,
                                     GlobalValue::PrivateLinkage,
                                     FuncsGV->getInitializer(), "gp.site_funcs");
  }
  Constant *Zero = ConstantInt::get(Int32Ty, 0);
  auto FuncRef = [&](int Idx) -> Constant * {
    if (Idx < 0)
      return ConstantPointerNull::get(PtrTy);
    return ConstantExpr::getPointerCast(
        ConstantExpr::getInBoundsGetElementPtr(
            FuncsTy, SiteFuncsGV,
            ArrayRef<Constant *>{Zero, ConstantInt::get(Int32Ty, Idx)}),
        PtrTy);
  };

  SmallVector<Constant *, 64> SiteRecs;
  for (const SiteInfo &S : Sites)
    SiteRecs.push_back(ConstantStruct::get(
        SiteTy, {FuncRef(S.FuncIdx), ConstantInt::get(Int32Ty, S.Line),
                 ConstantInt::get(Int16Ty, S.Column),
                 ConstantInt::get(Int16Ty, S.Kind)}));
  ArrayType *SitesTy = ArrayType::get(SiteTy, SiteRecs.size());
  auto *SitesGV = new GlobalVariable(M, SitesTy, /*isConstant=*/true,
                                     GlobalValue::PrivateLinkage,
                                     ConstantArray::get(SitesTy, SiteRecs),
                                     "gp.sites");
  for (unsigned I = 0; I != Sites.size(); ++I)
    Sites[I].Call->setArgOperand(
        0, ConstantExpr::getPointerCast(
               ConstantExpr::getInBoundsGetElementPtr(
                   SitesTy, SitesGV,
                   ArrayRef<Constant *>{Zero, ConstantInt::get(Int32Ty, I)}),
               PtrTy));

  // The linker defines these for a section whose name is a C identifier.
  auto Bound = [&](StringRef Prefix) -> Constant * {
    if (!ELF)
      return ConstantPointerNull::get(PtrTy);
    auto *GV = new GlobalVariable(M, Type::getInt8Ty(Ctx), /*isConstant=*/true,
                                  GlobalValue::ExternalWeakLinkage, nullptr,
                                  Prefix + Section);
    GV->setVisibility(GlobalValue::HiddenVisibility);
    return ConstantExpr::getPointerCast(GV, PtrTy);
  };
  Constant *Desc = ConstantStruct::get(
      ModTy,
      {ConstantInt::get(Int32Ty, GP_ABI_VERSION),
       ConstantInt::get(Int32Ty, FuncRecs.size()),
       ConstantInt::get(Int32Ty, SiteRecs.size()),
       ConstantInt::get(Int32Ty, GuardInTCB ? GP_MODULE_GUARD_TCB : 0),
       getString(M.getSourceFileName()), Bound("__start_"), Bound("__stop_"),
       ConstantExpr::getPointerCast(FuncsGV, ModTy->getElementType(7)),
       ConstantExpr::getPointerCast(SitesGV, ModTy->getElementType(8)),
       Constant::getNullValue(ModTy->getElementType(9))});
  auto *DescGV = new GlobalVariable(M, ModTy, /*isConstant=*/false,
                                    GlobalValue::PrivateLinkage, Desc,
                                    "gp.module");

  auto MakeCtor = [&](StringRef Name, StringRef Callee) {
    FunctionType *VoidFn = FunctionType::get(Type::getVoidTy(Ctx), false);
    Function *Fn = Function::Create(VoidFn, GlobalValue::InternalLinkage, Name,
                                    &M);
    Fn->addFnAttr(Attribute::NoUnwind);
    FunctionCallee Reg = M.getOrInsertFunction(
        Callee, FunctionType::get(Type::getVoidTy(Ctx), {PtrTy}, false));
    IRBuilder<> IRB(BasicBlock::Create(Ctx, "", Fn));
    IRB.CreateCall(Reg, {ConstantExpr::getPointerCast(DescGV, PtrTy)});
    IRB.CreateRetVoid();
    return Fn;
  };
  appendToGlobalCtors(M, MakeCtor(kCtorName, kRegisterName), 0);
  appendToGlobalDtors(M, MakeCtor(kDtorName, kUnregisterName), 0);
}

bool GPreempt::run() {
  if (M.getModuleFlag(kInstrumentedFlag))
    return false; // LTO post-link, or the pass ran twice
  bool Changed = M.getGlobalVariable(kFileOptionsName, true) != nullptr;
  if (!readFileOptions())
    return Changed;
  Annotations = readAnnotations(M);
  M.addModuleFlag(Module::Max, kInstrumentedFlag, 1);

  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    Funcs.emplace_back();
    Funcs.back().F = &F;
  }
  if (Funcs.empty())
    return true;
  if (!prepareRuntimeDecls())
    return true;

  auto &FAM = MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  // Collect: every function's fate is known before any loop looks at calls.
  int NextRecord = 0;
  for (FuncInfo &FI : Funcs) {
    Function &F = *FI.F;
    auto &ORE = FAM.getResult<OptimizationRemarkEmitterAnalysis>(F);
    if (isRuntimeFunction(F)) { // the runtime's own code is never checked
      FI.Instrument = FI.Record = false;
      ORE.emit([&] {
        return OptimizationRemarkMissed(DEBUG_TYPE, "Runtime", functionLoc(F),
                                        &F.getEntryBlock())
               << "no checks in runtime function " << F.getName();
      });
      continue;
    }
    // The code of an available_externally body is emitted elsewhere.
    FI.Record = Opts.Tables && !F.hasAvailableExternallyLinkage();
    if (FI.Record)
      FI.RecordIdx = NextRecord++;
    classify(FI, ORE);
    InfoOf[&F] = &FI;
  }
  if (Opts.EntryAuto)
    decideEntryChecks(FAM);
  decideReturnChecks();

  // Mutate.
  for (FuncInfo &FI : Funcs)
    if (FI.Instrument)
      instrumentFunction(FI, FAM);
  if (Opts.Tables)
    emitTables();

  if (Opts.Verify) {
    for (FuncInfo &FI : Funcs)
      if (FI.Instrument && verifyFunction(*FI.F, &errs()))
        Ctx.emitError("gpreempt-verify: function '" + FI.F->getName() +
                      "' is broken after instrumentation");
    verifyModuleChecks(M);
  }
  return true;
}

// errno lives in thread-local storage, and libcs declare the function that
// finds it const (glibc: __errno_location is readnone), so the optimiser
// reuses one call's result across calls.  In a goroutine any call (gp_yield,
// a lock, any check) may resume on another thread, after which the reused
// address is the old thread's errno.  Dropping the memory attributes from
// the declaration and its calls, before the optimiser runs, makes every
// errno access ask again; it costs a call per access, which it was anyway.
static const char *const kErrnoFunctions[] = {"__errno_location", "__errno",
                                              "___errno", "__error"};

static void dropMemoryAttrs(AttributeList &AL, LLVMContext &Ctx) {
#if LLVM_VERSION_MAJOR >= 16
  AL = AL.removeFnAttribute(Ctx, Attribute::Memory);
#else
  AL = AL.removeFnAttribute(Ctx, Attribute::ReadNone);
  AL = AL.removeFnAttribute(Ctx, Attribute::ReadOnly);
#endif
}

static bool makeErrnoThreadAware(Module &M) {
  bool Changed = false;
  for (const char *Name : kErrnoFunctions) {
    Function *F = M.getFunction(Name);
    if (!F || !F->isDeclaration())
      continue;
    AttributeList AL = F->getAttributes();
    dropMemoryAttrs(AL, M.getContext());
    F->setAttributes(AL);
    for (User *U : F->users())
      if (auto *CB = dyn_cast<CallBase>(U)) {
        AttributeList CAL = CB->getAttributes();
        dropMemoryAttrs(CAL, M.getContext());
        CB->setAttributes(CAL);
      }
    Changed = true;
  }
  return Changed;
}

namespace {
// Runs at the start of every pipeline (before any CSE or LICM).
struct GPreemptErrnoPass : PassInfoMixin<GPreemptErrnoPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    return makeErrnoThreadAware(M) ? PreservedAnalyses::none()
                                   : PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }
};

struct GPreemptPass : PassInfoMixin<GPreemptPass> {
  GPreemptOptions Opts;
  explicit GPreemptPass(GPreemptOptions Opts) : Opts(Opts) {}
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    return GPreempt(M, MAM, Opts).run() ? PreservedAnalyses::none()
                                        : PreservedAnalyses::all();
  }
  static bool isRequired() { return true; } // also under optnone and -O0
};

// opt -passes=gpreempt-verify: the cycle check alone, on instrumented IR.
struct GPreemptVerifyPass : PassInfoMixin<GPreemptVerifyPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    verifyModuleChecks(M);
    return PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }
};
} // namespace

static void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "gpreempt") {
          MPM.addPass(GPreemptPass(GPreemptOptions::fromCommandLine()));
          return true;
        }
        // gpreempt<loops=off;entry=off;tables=off;verify>
        if (Name.consume_front("gpreempt<") && Name.consume_back(">")) {
          GPreemptOptions Opts = GPreemptOptions::fromCommandLine();
          std::string Err = Opts.parse(Name, /*OnlyNarrow=*/false);
          if (!Err.empty()) {
            errs() << "gpreempt: bad pass parameter: " << Err << "\n";
            return false;
          }
          MPM.addPass(GPreemptPass(Opts));
          return true;
        }
        if (Name == "gpreempt-verify") {
          MPM.addPass(GPreemptVerifyPass());
          return true;
        }
        if (Name == "gpreempt-errno") {
          MPM.addPass(GPreemptErrnoPass());
          return true;
        }
        return false;
      });
  // -O1..3: run last, after inlining and unrolling, so checks land in the
  // code that is emitted and loops already unrolled need none.
  auto Late = [](ModulePassManager &MPM, OptimizationLevel Level) {
    if (Level != OptimizationLevel::O0)
      MPM.addPass(GPreemptPass(GPreemptOptions::fromCommandLine()));
  };
#if LLVM_VERSION_MAJOR >= 20
  PB.registerOptimizerLastEPCallback(
      [Late](ModulePassManager &MPM, OptimizationLevel Level,
             ThinOrFullLTOPhase) { Late(MPM, Level); });
#else
  PB.registerOptimizerLastEPCallback(Late);
#endif
  // -O0 pipelines do not run OptimizerLast callbacks in every LLVM version;
  // PipelineStart fires at -O0 in all of them.  errno's accessor must be
  // made thread-aware before the first CSE, at every level.
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel Level) {
        MPM.addPass(GPreemptErrnoPass());
        if (Level == OptimizationLevel::O0)
          MPM.addPass(GPreemptPass(GPreemptOptions::fromCommandLine()));
      });
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "gpreempt", LLVM_VERSION_STRING,
          registerCallbacks};
}

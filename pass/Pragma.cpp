//===- Pragma.cpp - #pragma gpreempt for clang and gpreempt-rewrite -------===//
//
// Part of gpreempt.  A Clang plugin in gpreempt.so (gpreempt-cc loads it with
// -fplugin=) and the same code linked into gpreempt-rewrite.
//
//   #pragma gpreempt loops(off)              before the first function: the
//   #pragma gpreempt entry(off) tables(off)  file's options (GP_FILE_OPTIONS)
//   #pragma gpreempt push / pop              save / restore a region's state
//   #pragma gpreempt loops(off|on)           after a function, or in a push:
//   #pragma gpreempt entry(off|on)           the functions defined from here
//
// Mechanism.  The pass (GPreempt.cpp) already reads two things, so the
// pragma produces exactly those and the pass is unchanged:
//   * File options: the handler enters the tokens of GP_FILE_OPTIONS's
//     declaration ("static const char __gpreempt_file_options[] = ...")
//     into the token stream at the pragma; a second one, or a
//     GP_FILE_OPTIONS in the same file, is a redefinition error as two
//     GP_FILE_OPTIONS are.
//   * Regions: the handler records (location, state) events; the consumer,
//     which sees every top-level declaration before code generation (the
//     plugin is an AddBeforeMainAction), adds the annotations of
//     GP_NO_LOOP_CHECKS / GP_NO_ENTRY_CHECK to each function definition
//     according to the state in effect at its location.
// "File scope" is decided when the pragma is lexed: no function of the main
// file has been defined yet (Sema has declared it; its body may still be in
// progress) and no push is open.  Whether a pragma sits inside a function
// body is only known once the body is complete, so the consumer diagnoses
// that.
//
// Diagnostics: malformed syntax, an unknown clause, or a pop without push is
// a warning and the pragma is ignored, as clang does for its own malformed
// pragmas; anything whose ignoring would change what the user asked for is
// an error: a bad value, tables()/loops(async) in a region (they exist per
// file only), turning back on in a region what the file turned off, a
// second set of file options, a pragma inside a function.
//
// Alternatives rejected: annotation tokens for the parser (a plugin cannot
// teach the parser new ones); synthesizing the options global in the AST at
// the end of the translation unit (codegen would have to be fed a
// declaration by hand); per-function annotations for file options (tables()
// and loops(async) have no per-function form).
//
//===----------------------------------------------------------------------===//

#include "Pragma.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Pragma.h"
#include "clang/Lex/Preprocessor.h"

#include <dlfcn.h>
#include <vector>

using namespace clang;

namespace gpreempt {

const char *const kAnnNoPreempt = "gpreempt.nopreempt";
const char *const kAnnNoLoops = "gpreempt.noloops";
const char *const kAnnNoEntry = "gpreempt.noentry";
const char *const kFileOptionsVar = "__gpreempt_file_options";

namespace {

struct RegionState {
  bool NoLoops = false;
  bool NoEntry = false;
};

// From Loc on (in translation-unit order), State is in effect.
struct Event {
  SourceLocation Loc;
  RegionState State;
};

struct PragmaState {
  explicit PragmaState(CompilerInstance &CI) : CI(CI) {}
  CompilerInstance &CI;
  RegionState Cur;
  std::vector<RegionState> Pushed;
  std::vector<Event> Events;
  SourceLocation FileOptionsLoc; // the file-scope pragma, if any
  RegionState FileOff;           // what the file's pragma turned off

  DiagnosticsEngine &diags() { return CI.getDiagnostics(); }
  template <unsigned N>
  DiagnosticBuilder report(SourceLocation L, DiagnosticsEngine::Level Lv,
                           const char (&Fmt)[N]) {
    return diags().Report(L, diags().getCustomDiagID(Lv, Fmt));
  }
  bool mainFileHasFunctionDefinition() const;
  void injectFileOptions(Preprocessor &PP, SourceLocation Loc,
                         const std::string &Options);
};

bool definesFunctionInMainFile(const DeclContext *DC, const SourceManager &SM) {
  for (const Decl *D : DC->noload_decls()) {
    if (const auto *LS = dyn_cast<LinkageSpecDecl>(D)) {
      if (definesFunctionInMainFile(LS, SM))
        return true;
      continue;
    }
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && (FD->doesThisDeclarationHaveABody() || FD->willHaveBody()) &&
        SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
      return true;
  }
  return false;
}

bool PragmaState::mainFileHasFunctionDefinition() const {
  if (!CI.hasASTContext())
    return false;
  return definesFunctionInMainFile(CI.getASTContext().getTranslationUnitDecl(),
                                   CI.getSourceManager());
}

// Enters the tokens of
//   __attribute__((used)) static const char __gpreempt_file_options[] = "...";
// (GP_FILE_OPTIONS's expansion) as if expanded at Loc.
void PragmaState::injectFileOptions(Preprocessor &PP, SourceLocation Loc,
                                    const std::string &Options) {
  struct Spelled {
    tok::TokenKind Kind; // tok::identifier: keyword or identifier by spelling
    std::string Text;
  };
  const std::vector<Spelled> Spelling = {
      {tok::identifier, "__attribute__"}, {tok::l_paren, "("},
      {tok::l_paren, "("},                {tok::identifier, "used"},
      {tok::r_paren, ")"},                {tok::r_paren, ")"},
      {tok::identifier, "static"},        {tok::identifier, "const"},
      {tok::identifier, "char"},          {tok::identifier, kFileOptionsVar},
      {tok::l_square, "["},               {tok::r_square, "]"},
      {tok::equal, "="},                  {tok::string_literal, "\"" + Options + "\""},
      {tok::semi, ";"}};
  auto Toks = std::make_unique<Token[]>(Spelling.size());
  for (size_t I = 0; I < Spelling.size(); ++I) {
    Token &T = Toks[I];
    T.startToken();
    T.setKind(Spelling[I].Kind);
    PP.CreateString(Spelling[I].Text, T, Loc, Loc);
    if (Spelling[I].Kind == tok::identifier) {
      IdentifierInfo *II = PP.getIdentifierInfo(Spelling[I].Text);
      T.setIdentifierInfo(II);
      T.setKind(II->getTokenID());
    }
  }
  PP.EnterTokenStream(std::move(Toks), Spelling.size(),
                      /*DisableMacroExpansion=*/true, /*IsReinject=*/false);
}

class GPreemptPragmaHandler : public PragmaHandler {
public:
  explicit GPreemptPragmaHandler(std::shared_ptr<PragmaState> S)
      : PragmaHandler("gpreempt"), S(std::move(S)) {}

  void HandlePragma(Preprocessor &PP, PragmaIntroducer Introducer,
                    Token &First) override {
    SourceLocation Loc = First.getLocation();
    Token Tok;
    PP.Lex(Tok);
    auto Ignore = [&](SourceLocation At, const std::string &Why) {
      S->report(At, DiagnosticsEngine::Warning,
                "%0; '#pragma gpreempt' ignored")
          << Why;
      while (Tok.isNot(tok::eod))
        PP.Lex(Tok);
    };
    if (Tok.is(tok::eod))
      return Ignore(Tok.getLocation(),
                    "expected push, pop, loops(...), entry(...) or tables(...)");
    if (Tok.is(tok::identifier) && (Tok.getIdentifierInfo()->isStr("push") ||
                                    Tok.getIdentifierInfo()->isStr("pop"))) {
      bool Push = Tok.getIdentifierInfo()->isStr("push");
      PP.Lex(Tok);
      if (Tok.isNot(tok::eod))
        return Ignore(Tok.getLocation(), std::string("extra tokens after '") +
                                             (Push ? "push" : "pop") + "'");
      if (Push) {
        S->Pushed.push_back(S->Cur);
      } else {
        if (S->Pushed.empty())
          return Ignore(Loc, "'pop' without a matching 'push'");
        S->Cur = S->Pushed.back();
        S->Pushed.pop_back();
      }
      S->Events.push_back({Loc, S->Cur});
      return;
    }

    // clause := name '(' value ')'
    struct Clause {
      std::string Name, Value;
      SourceLocation Loc;
    };
    std::vector<Clause> Clauses;
    while (Tok.isNot(tok::eod)) {
      if (Tok.isNot(tok::identifier))
        return Ignore(Tok.getLocation(), "expected a clause name");
      Clause C{Tok.getIdentifierInfo()->getName().str(), "", Tok.getLocation()};
      if (C.Name != "loops" && C.Name != "entry" && C.Name != "tables")
        return Ignore(C.Loc, "unknown clause '" + C.Name +
                                 "' (expected push, pop, loops, entry or tables)");
      PP.Lex(Tok);
      if (Tok.isNot(tok::l_paren))
        return Ignore(Tok.getLocation(), "expected '(' after '" + C.Name + "'");
      PP.Lex(Tok);
      if (Tok.isNot(tok::identifier))
        return Ignore(Tok.getLocation(), "expected on or off in '" + C.Name + "(...)'");
      C.Value = Tok.getIdentifierInfo()->getName().str();
      PP.Lex(Tok);
      if (Tok.isNot(tok::r_paren))
        return Ignore(Tok.getLocation(), "expected ')' after '" + C.Name + "(" +
                                             C.Value + "'");
      PP.Lex(Tok);
      bool Async = C.Name == "loops" && C.Value == "async";
      if (C.Value != "on" && C.Value != "off" && !Async) {
        S->report(C.Loc, DiagnosticsEngine::Error,
                  "bad value '%0' in '#pragma gpreempt %1(...)' (values: on, off%2)")
            << C.Value << C.Name << (C.Name == "loops" ? "; loops also async" : "");
        continue;
      }
      Clauses.push_back(C);
    }

    bool FileScope = S->Pushed.empty() && !S->mainFileHasFunctionDefinition();
    if (FileScope) {
      if (S->FileOptionsLoc.isValid()) {
        S->report(Loc, DiagnosticsEngine::Error,
                  "the file's options were already set by a '#pragma gpreempt'; "
                  "write all of them in that one pragma");
        S->report(S->FileOptionsLoc, DiagnosticsEngine::Note,
                  "the file's options are set here");
        return;
      }
      S->FileOptionsLoc = Loc;
      std::string Options;
      for (const Clause &C : Clauses) {
        Options += (Options.empty() ? "" : ",") + C.Name + "=" + C.Value;
        if (C.Value == "off") {
          if (C.Name == "loops")
            S->FileOff.NoLoops = true;
          if (C.Name == "entry")
            S->FileOff.NoEntry = true;
        }
      }
      if (!Options.empty())
        S->injectFileOptions(PP, Loc, Options);
      return;
    }

    for (const Clause &C : Clauses) {
      if (C.Name == "tables" || C.Value == "async") {
        S->report(C.Loc, DiagnosticsEngine::Error,
                  "'%0(%1)' applies to a whole file: write it in a '#pragma "
                  "gpreempt' before the first function definition")
            << C.Name << C.Value;
        continue;
      }
      bool Off = C.Value == "off";
      bool &Slot = C.Name == "loops" ? S->Cur.NoLoops : S->Cur.NoEntry;
      bool FileOff = C.Name == "loops" ? S->FileOff.NoLoops : S->FileOff.NoEntry;
      if (!Off && FileOff) {
        S->report(C.Loc, DiagnosticsEngine::Error,
                  "'%0(on)' cannot turn back on what the file's options turned off")
            << C.Name;
        S->report(S->FileOptionsLoc, DiagnosticsEngine::Note,
                  "the file's options are set here");
        continue;
      }
      Slot = Off;
    }
    S->Events.push_back({Loc, S->Cur});
  }

private:
  std::shared_ptr<PragmaState> S;
};

class PragmaConsumer : public ASTConsumer {
public:
  explicit PragmaConsumer(std::shared_ptr<PragmaState> S) : S(std::move(S)) {}

  bool HandleTopLevelDecl(DeclGroupRef DG) override {
    for (Decl *D : DG)
      apply(D);
    return true;
  }
  void HandleInlineFunctionDefinition(FunctionDecl *FD) override { apply(FD); }

private:
  void apply(Decl *D) {
    if (auto *DC = dyn_cast<LinkageSpecDecl>(D)) {
      for (Decl *Inner : DC->decls())
        apply(Inner);
      return;
    }
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || S->Events.empty())
      return;
    const SourceManager &SM = S->CI.getSourceManager();
    SourceRange Body = FD->getBody()->getSourceRange();
    SourceLocation Begin = SM.getExpansionLoc(FD->getBeginLoc());
    SourceLocation BodyBegin = SM.getExpansionLoc(Body.getBegin());
    SourceLocation BodyEnd = SM.getExpansionLoc(Body.getEnd());
    const RegionState *In = nullptr;
    for (const Event &E : S->Events) {
      SourceLocation L = SM.getExpansionLoc(E.Loc);
      if (SM.isBeforeInTranslationUnit(BodyBegin, L) &&
          SM.isBeforeInTranslationUnit(L, BodyEnd)) {
        S->report(E.Loc, DiagnosticsEngine::Error,
                  "'#pragma gpreempt' must be at file scope, not inside "
                  "function '%0'")
            << FD->getName();
        continue;
      }
      if (SM.isBeforeInTranslationUnit(L, Begin))
        In = &E.State;
    }
    if (!In)
      return;
    ASTContext &Ctx = FD->getASTContext();
    auto Annotate = [&](const char *Ann) {
      for (const auto *A : FD->specific_attrs<AnnotateAttr>())
        if (A->getAnnotation() == Ann)
          return;
      FD->addAttr(AnnotateAttr::CreateImplicit(Ctx, Ann, nullptr, 0));
    };
    if (In->NoLoops)
      Annotate(kAnnNoLoops);
    if (In->NoEntry)
      Annotate(kAnnNoEntry);
  }

  std::shared_ptr<PragmaState> S;
};

} // namespace

std::unique_ptr<ASTConsumer> createPragmaConsumer(CompilerInstance &CI) {
  auto S = std::make_shared<PragmaState>(CI);
  CI.getPreprocessor().AddPragmaHandler(new GPreemptPragmaHandler(S));
  return std::make_unique<PragmaConsumer>(S);
}

} // namespace gpreempt

#ifndef GP_PRAGMA_NO_PLUGIN
namespace {
// Runs before the main action (code generation) in every compile that loads
// gpreempt.so with -fplugin=, without a -plugin flag.
class PragmaAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return gpreempt::createPragmaConsumer(CI);
  }
  bool ParseArgs(const CompilerInstance &,
                 const std::vector<std::string> &) override {
    return true;
  }
  ActionType getActionType() override { return AddBeforeMainAction; }
};
} // namespace

// gpreempt.so is also loaded into opt, which has no Clang (and must not load
// libclang-cpp: from LLVM 19 on, both define some of the same cl::opts).  So
// the build weakens every undefined symbol of this file (objcopy --weaken,
// rewrite/clang.cmake): in opt they are null and this file must not run.
// Register only where Clang's library is loaded.
static const char *const kClangProbe = "_ZN5clang13PragmaHandlerD2Ev"; // ~PragmaHandler()

__attribute__((constructor)) static void registerPragmaPlugin() {
  if (!dlsym(RTLD_DEFAULT, kClangProbe))
    return;
  static FrontendPluginRegistry::Add<PragmaAction> Register(
      "gpreempt-pragma", "#pragma gpreempt (docs/rewrite.md)");
}
#endif

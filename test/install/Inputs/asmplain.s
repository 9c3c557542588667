# A plain assembler source (no preprocessor): clang loads no plugin for it.
  .text
  .globl asm_plain
  .type asm_plain, @function
asm_plain:
  movl $7, %eax
  ret
  .section .note.GNU-stack,"",@progbits

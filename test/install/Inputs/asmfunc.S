/* An assembler source in a gpreempt target: built without the plugin flags. */
#define RETVAL 42
  .text
  .globl asm_answer
  .type asm_answer, @function
asm_answer:
  movl $RETVAL, %eax
  ret
  .section .note.GNU-stack,"",@progbits

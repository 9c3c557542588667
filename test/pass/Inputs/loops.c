/* Shared input: one function with a loop and a call, one leaf-free caller. */
void ext(int);
int spin(volatile int *p, int n) {
  int i = 0;
  while (*p && i < n)
    i++;
  ext(i);
  return i;
}

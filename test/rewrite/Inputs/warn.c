int use(int);
int spin(int n) {
  while (n > 1)
    n = use(n);
  int unused_after_loop;
  return n;
}

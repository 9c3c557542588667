# Writes a C function of N small loops and branches (argv[1], default 3000)
# to stdout, for huge-function.test.
import sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
print("extern int ext(int);")
print("int huge(int *a, int n) {")
print("  int s = 0;")
for i in range(n):
    if i % 3 == 0:
        print("  for (int i%d = 0; i%d < n; i%d++) s += a[i%d] ^ %d;" % (i, i, i, i, i))
    elif i % 3 == 1:
        print("  if (a[%d] > s) s = ext(s + %d);" % (i % 64, i))
    else:
        print("  s = s * %d + a[s & 63];" % (i | 1))
print("  return s;")
print("}")

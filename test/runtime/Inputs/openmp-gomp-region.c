/* Built by gcc -fopenmp (libgomp's ABI: GOMP_parallel) for
 * openmp-gomp-goroutines.c; the loop body calls instrumented code. */
long term(int i); /* instrumented, in the test */

long gomp_region(int n) {
  long s = 0;
#pragma omp parallel for reduction(+ : s) num_threads(2)
  for (int i = 0; i < n; i++) s += term(i);
  return s;
}

/* A critical section in serial code (GOMP_critical_start/end). */
void gomp_critical_add(long *x, int i) {
#pragma omp critical
  *x += term(i);
}

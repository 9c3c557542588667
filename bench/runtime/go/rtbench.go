// rtbench.go: Go 1.19 side of the runtime benchmarks (bench/runtime/run.sh).
// The C side, bench/runtime/c/rtbench.c, implements the same workloads
// against libgmprt.  Usage: rtbench WORKLOAD [args]; prints "key value" lines.
//
//	spawn N          start N goroutines that each call wg.Done; ns per goroutine
//	yield N          two goroutines Gosched back and forth (run with
//	                 GOMAXPROCS=1); ns per switch
//	wake SECONDS     a goroutine sleeps 1 ms repeatedly while a tight loop
//	                 hogs the only P; wake latency beyond 1 ms: p50/p99/max us
//	fair SECONDS     3 tight-loop hogs on one P; each one's share of the loops
//	park N           RSS per goroutine parked on a WaitGroup
//	hograte SECONDS  iterations/s of a lone tight loop (compare GODEBUG=asyncpreemptoff=1)
//	slice SECONDS    3 hogs on one P: switches between them per second (Go's
//	                 slice is fixed at 10 ms) and their iterations per second
//	overhead SECONDS one hog locked to its thread beside a sleeping main: CPU
//	                 of the process outside the hog's thread, % of one core;
//	                 then the same while main alone sleeps (every P idle)
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// cpuSeconds: getrusage(who) user+system time; who 1 is RUSAGE_THREAD.
func cpuSeconds(who int) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		fmt.Fprintln(os.Stderr, "getrusage:", err)
		os.Exit(1)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

var lastHog int32 = -1
var hogSwitches int64

//go:noinline
func sliceHog(id int32, count *uint64, wg *sync.WaitGroup) {
	var n uint64
	x := uint64(1)
	for atomic.LoadInt32(&stop) == 0 {
		x = x*2862933555777941757 + 3037000493
		n++
		if atomic.LoadInt32(&lastHog) != id {
			atomic.StoreInt32(&lastHog, id)
			atomic.AddInt64(&hogSwitches, 1)
		}
	}
	atomic.StoreUint64(count, n+(x&1))
	wg.Done()
}

func slice(secs float64) {
	var wg sync.WaitGroup
	var c [3]uint64
	wg.Add(3)
	c0 := cpuSeconds(syscall.RUSAGE_SELF)
	t0 := time.Now()
	for i := 0; i < 3; i++ {
		go sliceHog(int32(i), &c[i], &wg)
	}
	time.Sleep(time.Duration(secs * 1e9))
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	el := time.Since(t0).Seconds()
	cpu := cpuSeconds(syscall.RUSAGE_SELF) - c0
	sw, it := float64(atomic.LoadInt64(&hogSwitches)), float64(c[0]+c[1]+c[2])
	fmt.Printf("slice_switches_per_s %.0f\nslice_iters_per_s %.0f\n", sw/el, it/el)
	fmt.Printf("slice_cpu_share %.2f\nslice_switches_per_cpu_s %.0f\nslice_iters_per_cpu_s %.0f\n", cpu/el, sw/cpu, it/cpu)
}

//go:noinline
func overheadHog(cpu *float64, wg *sync.WaitGroup) {
	runtime.LockOSThread() // so that its thread's CPU is the hog's
	c0 := cpuSeconds(1)
	x := uint64(1)
	for atomic.LoadInt32(&stop) == 0 {
		x = x*2862933555777941757 + 3037000493
	}
	*cpu = cpuSeconds(1) - c0 + float64(x&1)*1e-12
	runtime.UnlockOSThread()
	wg.Done()
}

func overhead(secs float64) {
	var wg sync.WaitGroup
	var hogcpu float64
	wg.Add(1)
	time.Sleep(10 * time.Millisecond)
	c0 := cpuSeconds(syscall.RUSAGE_SELF)
	t0 := time.Now()
	go overheadHog(&hogcpu, &wg)
	time.Sleep(time.Duration(secs * 1e9))
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	busy := cpuSeconds(syscall.RUSAGE_SELF) - c0 - hogcpu
	el := time.Since(t0).Seconds()
	time.Sleep(50 * time.Millisecond)
	c0 = cpuSeconds(syscall.RUSAGE_SELF)
	t0 = time.Now()
	time.Sleep(time.Duration(secs * 1e9))
	idle := cpuSeconds(syscall.RUSAGE_SELF) - c0
	fmt.Printf("overhead_busy_pct %.2f\noverhead_idle_pct %.3f\n", 100*busy/el, 100*idle/time.Since(t0).Seconds())
}

var stop int32

//go:noinline
func hog(count *uint64) {
	var n uint64
	x := uint64(1)
	for atomic.LoadInt32(&stop) == 0 {
		x = x*2862933555777941757 + 3037000493
		n++
	}
	atomic.StoreUint64(count, n+(x&1))
}

func spawn(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	c0 := cpuSeconds(syscall.RUSAGE_SELF)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		go wg.Done()
	}
	wg.Wait()
	el := time.Since(t0)
	fmt.Printf("spawn_ns %.1f\n", float64(el.Nanoseconds())/float64(n))
	fmt.Printf("spawn_cpu_ns %.1f\n", (cpuSeconds(syscall.RUSAGE_SELF)-c0)*1e9/float64(n))
}

func yield(n int) {
	var wg sync.WaitGroup
	wg.Add(2)
	f := func() {
		for i := 0; i < n; i++ {
			runtime.Gosched()
		}
		wg.Done()
	}
	t0 := time.Now()
	go f()
	go f()
	wg.Wait()
	el := time.Since(t0)
	fmt.Printf("yield_ns %.1f\n", float64(el.Nanoseconds())/float64(2*n))
}

// Uncontended sync.Mutex Lock + Unlock (the C side: a pthread mutex).
func lockpair(n int) {
	var mu sync.Mutex
	count := 0
	t0 := time.Now()
	for i := 0; i < n; i++ {
		mu.Lock()
		count++
		mu.Unlock()
	}
	el := time.Since(t0)
	fmt.Printf("lockpair_ns %.1f\n", float64(el.Nanoseconds())/float64(count))
}

func pct(xs []float64, p float64) float64 {
	return xs[int(p*float64(len(xs)-1)+0.5)]
}

func wake(secs float64) {
	var c uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { hog(&c); wg.Done() }()
	var lat []float64
	end := time.Now().Add(time.Duration(secs * 1e9))
	for time.Now().Before(end) && len(lat) < 5000 {
		t0 := time.Now()
		time.Sleep(time.Millisecond)
		lat = append(lat, float64(time.Since(t0).Nanoseconds()-1e6)/1e3)
	}
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	sort.Float64s(lat)
	fmt.Printf("wake_n %d\nwake_p50_us %.1f\nwake_p99_us %.1f\nwake_max_us %.1f\n",
		len(lat), pct(lat, 0.5), pct(lat, 0.99), lat[len(lat)-1])
}

func fair(secs float64) {
	var c [3]uint64
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		i := i
		go func() { hog(&c[i]); wg.Done() }()
	}
	time.Sleep(time.Duration(secs * 1e9))
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	tot := float64(c[0] + c[1] + c[2])
	var s []string
	mn, mx := 1.0, 0.0
	for i := 0; i < 3; i++ {
		f := float64(c[i]) / tot
		s = append(s, fmt.Sprintf("%.1f", 100*f))
		if f < mn {
			mn = f
		}
		if f > mx {
			mx = f
		}
	}
	fmt.Printf("fair_shares %s\nfair_min_pct %.1f\nfair_max_pct %.1f\n", strings.Join(s, "/"), 100*mn, 100*mx)
}

func rssKiB() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return -1
}

func park(n int) {
	var started, gate, done sync.WaitGroup
	gate.Add(1)
	started.Add(n)
	done.Add(n)
	runtime.GC()
	before := rssKiB()
	for i := 0; i < n; i++ {
		go func() {
			started.Done()
			gate.Wait()
			done.Done()
		}()
	}
	started.Wait()
	time.Sleep(50 * time.Millisecond)
	after := rssKiB()
	gate.Done()
	done.Wait()
	fmt.Printf("park_bytes %.0f\n", float64(after-before)*1024/float64(n))
}

//go:noinline
func timedHog(secs float64) (uint64, float64) {
	var n uint64
	x := uint64(1)
	t0 := time.Now()
	limit := time.Duration(secs * 1e9)
	for {
		for i := 0; i < 1<<20; i++ {
			x = x*2862933555777941757 + 3037000493
		}
		n += 1 << 20
		if time.Since(t0) >= limit {
			break
		}
	}
	return n + (x & 1), time.Since(t0).Seconds()
}

func hograte(secs float64) {
	var n uint64
	var el float64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { n, el = timedHog(secs); wg.Done() }()
	wg.Wait()
	fmt.Printf("hog_iters_per_s %.0f\n", float64(n)/el)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rtbench spawn|yield|wake|fair|park|hograte|slice|overhead [arg]")
		os.Exit(2)
	}
	arg := func(d float64) float64 {
		if len(os.Args) > 2 {
			v, err := strconv.ParseFloat(os.Args[2], 64)
			if err == nil {
				return v
			}
		}
		return d
	}
	switch os.Args[1] {
	case "spawn":
		spawn(int(arg(1e6)))
	case "yield":
		yield(int(arg(1e6)))
	case "lockpair":
		lockpair(int(arg(1e7)))
	case "wake":
		wake(arg(2))
	case "fair":
		fair(arg(1))
	case "park":
		park(int(arg(1e6)))
	case "hograte":
		hograte(arg(1))
	case "slice":
		slice(arg(1))
	case "overhead":
		overhead(arg(1))
	default:
		fmt.Fprintln(os.Stderr, "unknown workload", os.Args[1])
		os.Exit(2)
	}
}

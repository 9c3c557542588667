// chanbench.go: the Go 1.19 side of the channel benchmarks in
// bench/runtime/run.sh; bench/runtime/c/chanbench.c is the gpreempt side and
// prints the same keys with the same definitions.  Run with GOMAXPROCS=1
// and 2.  Usage: chanbench [SCALE] (iteration counts times SCALE, default 1).
//
//	pingpong_ns     unbuffered ping-pong between two goroutines: ns per round
//	                trip (two sends, two receives, two switches)
//	pingpong_op_ns  the same per channel operation (round trip / 2)
//	selectpp_ns     ping-pong where the receiver selects over 2 channels (one
//	                of them idle): ns per round trip
//	buffered_ns     one goroutine sends to a cap-128 channel, another
//	                receives: ns per element
//	select4_ns      select over 4 channels that are always ready: ns per
//	                select (including the send that refills the chosen case)
//	uncontended_ns  non-blocking send + non-blocking receive on a cap-1
//	                channel: ns per pair
//	mainpp_ns       ping-pong with main as one side: ns per round trip
//
// As in chanbench.c, everything but mainpp runs in a goroutine other than
// main (in gpreempt main is wired to the main thread; in Go it is not, so
// mainpp_ns is just another ping-pong here).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

const (
	baseIters   = 1000000 // iterations of each measurement, times SCALE
	mainIters   = 20000   // iterations of mainpp, times SCALE
	warmup      = 1000    // untimed round trips first
	bufferedCap = 128
)

var iters int

func pingpong(selecting bool) float64 {
	ping, pong, idle := make(chan int), make(chan int), make(chan int)
	done := make(chan struct{})
	go func() {
		if selecting {
			for {
				var v int
				var ok bool
				select {
				case <-idle:
					panic("idle channel ready")
				case v, ok = <-ping:
				}
				if !ok {
					break
				}
				pong <- v
			}
		} else {
			for v := range ping {
				pong <- v
			}
		}
		close(done)
	}()
	v := 0
	for i := 0; i < warmup; i++ {
		ping <- v
		v = <-pong
	}
	t0 := time.Now()
	for i := 0; i < iters; i++ {
		ping <- v
		v = <-pong
	}
	el := time.Since(t0)
	close(ping)
	<-done
	return float64(el.Nanoseconds()) / float64(iters)
}

func buffered() float64 {
	c := make(chan int64, bufferedCap)
	t0 := time.Now()
	go func() {
		for i := 0; i < iters; i++ {
			c <- int64(i)
		}
		close(c)
	}()
	n := 0
	for range c {
		n++
	}
	el := time.Since(t0)
	if n != iters {
		fmt.Fprintln(os.Stderr, "buffered: received", n, "of", iters)
		os.Exit(1)
	}
	return float64(el.Nanoseconds()) / float64(n)
}

func select4() float64 {
	var c [4]chan int
	for i := range c {
		c[i] = make(chan int, 1)
		c[i] <- i
	}
	t0 := time.Now()
	for i := 0; i < iters; i++ {
		var r int
		select {
		case <-c[0]:
			r = 0
		case <-c[1]:
			r = 1
		case <-c[2]:
			r = 2
		case <-c[3]:
			r = 3
		}
		c[r] <- r
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(iters)
}

func uncontended() float64 {
	c := make(chan int64, 1)
	t0 := time.Now()
	for i := 0; i < iters; i++ {
		select {
		case c <- int64(i):
		default:
		}
		select {
		case <-c:
		default:
		}
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(iters)
}

func main() {
	scale := 1
	if len(os.Args) > 1 {
		if v, err := strconv.Atoi(os.Args[1]); err == nil && v > 1 {
			scale = v
		}
	}
	fmt.Printf("gomaxprocs %d\n", runtime.GOMAXPROCS(0))
	done := make(chan struct{})
	go func() {
		iters = baseIters * scale
		pp := pingpong(false)
		fmt.Printf("pingpong_ns %.1f\n", pp)
		fmt.Printf("pingpong_op_ns %.1f\n", pp/2)
		fmt.Printf("selectpp_ns %.1f\n", pingpong(true))
		fmt.Printf("buffered_ns %.1f\n", buffered())
		fmt.Printf("select4_ns %.1f\n", select4())
		fmt.Printf("uncontended_ns %.1f\n", uncontended())
		close(done)
	}()
	<-done
	iters = mainIters * scale
	fmt.Printf("mainpp_ns %.1f\n", pingpong(false))
}

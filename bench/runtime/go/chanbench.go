// chanbench.go: the Go 1.19 side of the channel benchmarks in
// bench/runtime/run.sh; bench/runtime/c/chanbench.c is the gpreempt side and
// prints the same keys.  Usage: chanbench WORKLOAD [N]; "key value" lines.
//
//	pingpong N   two goroutines bounce a value over two unbuffered channels
//	             N times (a round trip each); pingpong_ns = ns per message
//	             (one send and its receive; a round trip is two)
//	buffered N   a producer sends N ints into a channel of capacity 128, a
//	             consumer receives them; buffered_ns = ns per element
//	select4 N    N selects receiving from 4 buffered channels that are all
//	             ready, each followed by a send that refills the channel it
//	             chose; select4_ns = ns per select (+ refill)
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

const bufferedCap = 128 // capacity of the buffered-throughput channel

func pingpong(n int) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	t0 := time.Now()
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	el := time.Since(t0)
	close(ping)
	<-pong
	if v != n {
		fmt.Fprintln(os.Stderr, "pingpong: got", v, "want", n)
		os.Exit(1)
	}
	fmt.Printf("pingpong_ns %.1f\n", float64(el.Nanoseconds())/float64(2*n))
}

func buffered(n int) {
	c := make(chan int, bufferedCap)
	done := make(chan int)
	go func() {
		s := 0
		for v := range c {
			s += v
		}
		done <- s
	}()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		c <- i
	}
	close(c)
	s := <-done
	el := time.Since(t0)
	if want := n * (n - 1) / 2; s != want {
		fmt.Fprintln(os.Stderr, "buffered: sum", s, "want", want)
		os.Exit(1)
	}
	fmt.Printf("buffered_ns %.1f\n", float64(el.Nanoseconds())/float64(n))
}

func select4(n int) {
	var cs [4]chan int
	for i := range cs {
		cs[i] = make(chan int, 1)
		cs[i] <- i
	}
	var hits [4]int
	t0 := time.Now()
	for i := 0; i < n; i++ {
		select {
		case v := <-cs[0]:
			hits[0]++
			cs[0] <- v
		case v := <-cs[1]:
			hits[1]++
			cs[1] <- v
		case v := <-cs[2]:
			hits[2]++
			cs[2] <- v
		case v := <-cs[3]:
			hits[3]++
			cs[3] <- v
		}
	}
	el := time.Since(t0)
	for i, h := range hits {
		if h == 0 {
			fmt.Fprintln(os.Stderr, "select4: case", i, "never chosen:", hits)
			os.Exit(1)
		}
	}
	fmt.Printf("select4_ns %.1f\n", float64(el.Nanoseconds())/float64(n))
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: chanbench pingpong|buffered|select4 [N]")
		os.Exit(2)
	}
	n := 1000000
	if len(os.Args) > 2 {
		v, err := strconv.Atoi(os.Args[2])
		if err != nil || v <= 0 {
			fmt.Fprintln(os.Stderr, "chanbench: bad N", os.Args[2])
			os.Exit(2)
		}
		n = v
	}
	switch os.Args[1] {
	case "pingpong":
		pingpong(n)
	case "buffered":
		buffered(n)
	case "select4":
		select4(n)
	default:
		fmt.Fprintln(os.Stderr, "unknown workload", os.Args[1])
		os.Exit(2)
	}
}

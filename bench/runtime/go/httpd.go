// httpd.go: the Go 1.19 twin of examples/httpd.c for bench/runtime/net.sh:
// net/http serving the same routes with the same work.
//
//	GET /light   answers "light\n" at once
//	GET /heavy   computes for ~100 ms (the same calibrated LCG loop as
//	             httpd.c, no sleep), then answers with its result
//	else         404
//
//	httpd [PORT] [--heavy-ms MS]      PORT 0 picks a free port
//
// It listens on 127.0.0.1 and prints "httpd: listening on port N" when ready.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

const (
	calibrateNs    = 40 * time.Millisecond // as httpd.c's CALIBRATE_NS
	calibrateChunk = 1 << 16               // as httpd.c's CALIBRATE_CHUNK
)

var heavyIters uint64

// spin is httpd.c's spin(): a 64-bit linear congruential chain.  Go has no
// check in the loop; its asynchronous preemption (sysmon, 10 ms) stops it.
//
//go:noinline
func spin(x, n uint64) uint64 {
	for i := uint64(0); i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

// calibrate finds how many iterations take ms milliseconds: the fastest of
// many short chunks.
func calibrate(ms float64) {
	best := 1e18
	x := uint64(1)
	end := time.Now().Add(calibrateNs)
	for time.Now().Before(end) {
		t0 := time.Now()
		x = spin(x, calibrateChunk)
		if el := float64(time.Since(t0).Nanoseconds()); el > 0 && el < best {
			best = el
		}
	}
	heavyIters = uint64(ms*1e6/best*calibrateChunk) + (x & 1)
}

func main() {
	port, heavyMs := 8080, 100.0
	for i := 1; i < len(os.Args); i++ {
		a := os.Args[i]
		if a == "--heavy-ms" && i+1 < len(os.Args) {
			heavyMs, _ = strconv.ParseFloat(os.Args[i+1], 64)
			i++
		} else if p, err := strconv.Atoi(a); err == nil {
			port = p
		} else {
			fmt.Fprintln(os.Stderr, "usage: httpd [PORT] [--heavy-ms MS]")
			os.Exit(2)
		}
	}
	calibrate(heavyMs)
	mux := http.NewServeMux()
	mux.HandleFunc("/light", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("light\n"))
	})
	mux.HandleFunc("/heavy", func(w http.ResponseWriter, r *http.Request) {
		v := spin(uint64(time.Now().UnixNano()&0xff), heavyIters)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "heavy %016x\n", v)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("not found\n"))
	})
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpd:", err)
		os.Exit(1)
	}
	fmt.Printf("httpd: listening on port %d\n", ln.Addr().(*net.TCPAddr).Port)
	fmt.Fprintf(os.Stderr, "httpd: /heavy computes %d iterations (~%.0f ms)\n", heavyIters, heavyMs)
	fmt.Fprintln(os.Stderr, http.Serve(ln, mux))
	os.Exit(1)
}

// echo.go: the Go 1.19 twin of examples/echo.c for bench/runtime/net.sh: a
// goroutine per connection copying what it reads back, 4 KiB at a time.
//
//	echo [PORT]      PORT 0 picks a free port
//
// It listens on 127.0.0.1 and prints "echo: listening on port N" when ready.
// (Go raises RLIMIT_NOFILE to the hard limit by itself since 1.19.)
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

const echoBuf = 4096 // as echo.c's ECHO_BUF

func serve(c net.Conn) {
	defer c.Close()
	buf := make([]byte, echoBuf)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func main() {
	port := 8081
	if len(os.Args) > 1 {
		p, err := strconv.Atoi(os.Args[1])
		if err != nil || len(os.Args) > 2 {
			fmt.Fprintln(os.Stderr, "usage: echo [PORT]")
			os.Exit(2)
		}
		port = p
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
	fmt.Printf("echo: listening on port %d\n", ln.Addr().(*net.TCPAddr).Port)
	for {
		c, err := ln.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo: accept:", err)
			continue
		}
		go serve(c)
	}
}

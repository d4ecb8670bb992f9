# wsreactor: `make run` starts the echo server, `make test` runs every test. The rest are for contributors.
MVN ?= mvn
MVN_FLAGS ?= -B -q -ntp
HOST ?= 127.0.0.1
PORT ?= 9001
CLASSPATH := protocol/target/classes:reactor/target/classes
CONFORMANCE_CLASSPATH := $(CLASSPATH):conformance/target/classes

.PHONY: build run test diagram conformance conformance-autobahn clean

## build: compile every module (no tests)
build:
	$(MVN) $(MVN_FLAGS) -DskipTests compile

## run: the echo server on ws://$(HOST):$(PORT)/ (Ctrl-C stops it gracefully)
run: build
	java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer --host $(HOST) --port $(PORT) $(ARGS)

## test: every test of every module, our conformance harness included
test:
	$(MVN) -B -ntp test

## diagram: rewrite the README's state machine block from the transition table
diagram:
	$(MVN) $(MVN_FLAGS) -pl protocol test -Dtest=TransitionsTest -Dreadme.update=true

clean:
	$(MVN) $(MVN_FLAGS) clean

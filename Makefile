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

## conformance: the echo server on port $(CONFORMANCE_PORT), every case of our own harness against it, reports
## in conformance/reports/ (index.html, index.json in Autobahn's format). CASES=6.4.* picks some.
CONFORMANCE_PORT ?= 9002
CASES ?= *
conformance: build
	@mkdir -p conformance/reports
	@java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer --port $(CONFORMANCE_PORT) > conformance/reports/server.log 2>&1 & \
	  pid=$$!; \
	  java -cp $(CONFORMANCE_CLASSPATH) dev.wsreactor.conformance.ConformanceMain \
	    --url ws://127.0.0.1:$(CONFORMANCE_PORT)/ --wait-for-server 20 --cases '$(CASES)' --out conformance/reports; \
	  rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

## conformance-autobahn: the official Autobahn testsuite (needs Docker) against the echo server on port 9001
conformance-autobahn: build
	@mkdir -p conformance/reports
	@java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer --port 9001 > conformance/reports/autobahn-server.log 2>&1 & \
	  pid=$$!; \
	  conformance/autobahn/run.sh; \
	  rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

## diagram: rewrite the README's state machine block from the transition table
diagram:
	$(MVN) $(MVN_FLAGS) -pl protocol test -Dtest=TransitionsTest -Dreadme.update=true

clean:
	$(MVN) $(MVN_FLAGS) clean

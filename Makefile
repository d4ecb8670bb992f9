# wsreactor: `make run` starts the echo server, `make demo` the seat booking example, `make test` runs every test.
# The rest are for contributors.
MVN ?= mvn
MVN_FLAGS ?= -B -q -ntp
HOST ?= 127.0.0.1
PORT ?= 9001
CLASSPATH := protocol/target/classes:reactor/target/classes
# The tools' one dependency, Jackson, copied to target/lib by the build (the library itself has none).
JACKSON = $(1)/target/lib/jackson-databind.jar:$(1)/target/lib/jackson-core.jar:$(1)/target/lib/jackson-annotations.jar
CONFORMANCE_CLASSPATH := $(CLASSPATH):conformance/target/classes:$(call JACKSON,conformance)
SEATS_CLASSPATH := $(CLASSPATH):examples/seats/target/classes:$(call JACKSON,examples/seats)
SEATS_MAIN := dev.wsreactor.examples.seats.SeatsServer
E2E_DIR := examples/seats/e2e

.PHONY: build run run-tls demo bench bench-micro test soak client-deps e2e e2e-run e2e-deps diagram conformance conformance-full conformance-tls conformance-client conformance-autobahn clean

## build: compile every module (no tests)
build:
	$(MVN) $(MVN_FLAGS) -DskipTests compile

## run: the echo server on ws://$(HOST):$(PORT)/ (Ctrl-C stops it gracefully)
run: build
	java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer --host $(HOST) --port $(PORT) $(ARGS)

## run-tls: the echo server on wss://$(HOST):$(TLS_PORT)/ with a self-signed certificate for localhost and 127.0.0.1,
## made with the JDK's keytool on first run into $(TLS_DIR)/ (git ignores it). TLS_PASSWORD protects the keystores.
TLS_PORT ?= 9443
TLS_DIR ?= .tls
TLS_PASSWORD ?= changeit
KEYTOOL ?= $(if $(JAVA_HOME),$(JAVA_HOME)/bin/keytool,keytool)
run-tls: build $(TLS_DIR)/localhost.p12
	@echo "Trust hint: the certificate is self-signed. Clients must trust $(TLS_DIR)/localhost.pem:"
	@echo "  curl:    curl --cacert $(TLS_DIR)/localhost.pem https://localhost:$(TLS_PORT)/"
	@echo "  Java:    -Djavax.net.ssl.trustStore=$(TLS_DIR)/truststore.p12 -Djavax.net.ssl.trustStorePassword=$(TLS_PASSWORD)"
	@echo "  browser: open https://localhost:$(TLS_PORT)/ once and accept the certificate (or import the .pem)"
	WSREACTOR_TLS_PASSWORD='$(TLS_PASSWORD)' java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer \
	  --host $(HOST) --port $(TLS_PORT) --tls-keystore $(TLS_DIR)/localhost.p12 $(ARGS)

$(TLS_DIR)/localhost.p12:
	@mkdir -p $(TLS_DIR)
	@rm -f $@.tmp
	$(KEYTOOL) -genkeypair -alias localhost -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA \
	  -dname CN=localhost -ext SAN=dns:localhost,ip:127.0.0.1 -validity 365 \
	  -storetype PKCS12 -keystore $@.tmp -storepass '$(TLS_PASSWORD)' -keypass '$(TLS_PASSWORD)'
	$(KEYTOOL) -exportcert -rfc -alias localhost -keystore $@.tmp -storepass '$(TLS_PASSWORD)' \
	  -file $(TLS_DIR)/localhost.pem
	@rm -f $(TLS_DIR)/truststore.p12
	$(KEYTOOL) -importcert -noprompt -alias localhost -file $(TLS_DIR)/localhost.pem \
	  -storetype PKCS12 -keystore $(TLS_DIR)/truststore.p12 -storepass '$(TLS_PASSWORD)'
	@mv $@.tmp $@

## demo: the live seat booking example on http://127.0.0.1:8080/ (open it in two windows; Ctrl-C stops it)
DEMO_PORT ?= 8080
demo: build
	java -cp $(SEATS_CLASSPATH) $(SEATS_MAIN) --host 127.0.0.1 --port $(DEMO_PORT) $(ARGS)

## test: every test of every module, our conformance harness included, then the browser end-to-end test
test: client-deps
	$(MVN) -B -ntp test
	$(MAKE) --no-print-directory e2e-run

## soak: the limit tests' attacks (silent sockets past the file limit, clients that never read, a decompression
## bomb), round after round for SOAK_SECONDS against one echo server, checking it returns to where it started after
## each: no count drifts, no descriptor leaks, memory does not creep. Minutes long, so not in `make test`; CI runs it.
SOAK_SECONDS ?= 150
soak:
	$(MVN) -B -ntp -pl reactor -am test -Dtest='*Soak' -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dsoak.seconds=$(SOAK_SECONDS)

## e2e: the seat example in a real headless Chromium: two pages, a click, a server restart. Installs Chromium
## (Debian's package) and the test's npm packages when they are missing; never downloads a browser build.
e2e: build e2e-run

e2e-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update && $$sudo apt-get install -y chromium; }
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update && $$sudo apt-get install -y nodejs npm; }
	@[ $(E2E_DIR)/node_modules/.package-lock.json -nt $(E2E_DIR)/package-lock.json ] || \
	  (cd $(E2E_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)

# python-websockets, the server nobody here wrote that the client's tests connect to (Debian's package), and
# nginx with its stream module, the reverse proxy the proxy tests put in front of the server.
client-deps:
	@python3 -c 'import websockets' 2>/dev/null || /usr/bin/python3 -c 'import websockets' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update && $$sudo apt-get install -y python3-websockets; }
	@{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 && [ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update && $$sudo apt-get install -y nginx libnginx-mod-stream; }

# Starts the server on a free port, runs the test (which restarts the server once), stops the server.
e2e-run: e2e-deps
	@mkdir -p examples/seats/target
	@port=$$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'); \
	  cmd="java -cp $(SEATS_CLASSPATH) $(SEATS_MAIN) --host 127.0.0.1 --port $$port"; \
	  $$cmd > examples/seats/target/e2e-server.log 2>&1 & pid=$$!; \
	  start=$$(date +%s); \
	  SEATS_PORT=$$port SEATS_PID=$$pid SEATS_CMD="$$cmd" node --test $(E2E_DIR)/seats.e2e.mjs; rc=$$?; \
	  kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; \
	  echo "e2e: exit $$rc in $$(( $$(date +%s) - start )) s (screenshot: examples/seats/target/seats.png)"; exit $$rc

## conformance: the echo server on port $(CONFORMANCE_PORT), every case of our own harness against it, reports
## in conformance/reports/ (index.html, index.json in Autobahn's format). CASES=6.4.* picks some.
CONFORMANCE_PORT ?= 9002
CASES ?= *
CONFORMANCE_ARGS ?=
conformance: build
	@mkdir -p conformance/reports
	@java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer --port $(CONFORMANCE_PORT) > conformance/reports/server.log 2>&1 & \
	  pid=$$!; \
	  java -cp $(CONFORMANCE_CLASSPATH) dev.wsreactor.conformance.ConformanceMain \
	    --url ws://127.0.0.1:$(CONFORMANCE_PORT)/ --wait-for-server 20 --cases '$(CASES)' --out conformance/reports \
	    $(CONFORMANCE_ARGS); \
	  rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

## conformance-full: the same with Autobahn's 1,000 messages per case in groups 12 and 13 (an official run's counts)
conformance-full:
	@$(MAKE) --no-print-directory conformance CONFORMANCE_ARGS=--full

## conformance-tls: the same over wss:// (the run-tls certificate), reports in conformance/reports-tls/
conformance-tls: build $(TLS_DIR)/localhost.p12
	@mkdir -p conformance/reports-tls
	@WSREACTOR_TLS_PASSWORD='$(TLS_PASSWORD)' java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer \
	    --port $(CONFORMANCE_PORT) --tls-keystore $(TLS_DIR)/localhost.p12 > conformance/reports-tls/server.log 2>&1 & \
	  pid=$$!; \
	  java -cp $(CONFORMANCE_CLASSPATH) dev.wsreactor.conformance.ConformanceMain \
	    --url wss://127.0.0.1:$(CONFORMANCE_PORT)/ --tls-trust $(TLS_DIR)/localhost.pem --wait-for-server 20 \
	    --cases '$(CASES)' --out conformance/reports-tls --agent wsreactor-tls; \
	  rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

## conformance-client: the client mode: a server on port $(CLIENT_CONFORMANCE_PORT) that runs the client cases
## (Autobahn's groups 1-7, 9, 10, 12, 13) against our WebSocketClient, reports in conformance/reports-client/.
## CLIENT_AGENT= (empty) only serves, for any Autobahn client driver: /getCaseCount, /runCase, /updateReports.
CLIENT_CONFORMANCE_PORT ?= 9003
CLIENT_AGENT ?= wsreactor-client
conformance-client: build
	@mkdir -p conformance/reports-client
	java -cp $(CONFORMANCE_CLASSPATH) dev.wsreactor.conformance.ClientConformanceMain \
	  --port $(CLIENT_CONFORMANCE_PORT) --cases '$(CASES)' --out conformance/reports-client \
	  $(if $(CLIENT_AGENT),--ours $(CLIENT_AGENT)) $(CONFORMANCE_ARGS)

## conformance-autobahn: the official Autobahn testsuite (needs Docker) against the echo server on port 9001
conformance-autobahn: build
	@mkdir -p conformance/reports
	@java -cp $(CLASSPATH) dev.wsreactor.reactor.EchoServer --port 9001 > conformance/reports/autobahn-server.log 2>&1 & \
	  pid=$$!; \
	  conformance/autobahn/run.sh; \
	  rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

## bench: our echo server, Netty's and Java-WebSocket's, each pinned to core 1, loaded from core 0, every scenario,
## alternating; prints medians and ratios. WSLOAD=path/to/wsload uses the C load generator instead of ours;
## BENCH_ARGS=--first-burst measures idle memory on the first 10,000 connections instead of the steady state.
ROUNDS ?= 3
DURATION ?= 10
WSLOAD ?=
SCENARIOS ?= small,pipelined,bandwidth,handshakes,idle
BENCH_ARGS ?=
bench:
	$(MVN) $(MVN_FLAGS) -DskipTests -pl bench -am package
	java -cp 'bench/target/classes:bench/target/lib/*' dev.wsreactor.bench.BenchRunner --rounds $(ROUNDS) \
	  --duration $(DURATION) --scenarios $(SCENARIOS) --wsload '$(WSLOAD)' $(BENCH_ARGS)

## bench-micro: build bench/target/benchmarks.jar and run every JMH micro-benchmark with the GC profiler; results
## in bench/target/jmh-results.json. JMH_ARGS replaces the short default run: patterns (regexps, several separated by
## spaces; quote one that holds a |) and JMH options, e.g. JMH_ARGS='Echo Send -f 3 -i 10';
## JMH_ARGS='-h' lists JMH's options. Not part of `make test`.
JMH_ARGS ?= -f 1 -wi 3 -i 5 -w 1s -r 1s
bench-micro:
	$(MVN) $(MVN_FLAGS) -Pbenchmarks -pl bench -am -DskipTests package
	java -jar bench/target/benchmarks.jar -prof gc -rf json -rff bench/target/jmh-results.json $(JMH_ARGS)

## diagram: rewrite the README's state machine block from the transition table
diagram:
	$(MVN) $(MVN_FLAGS) -pl protocol test -Dtest=TransitionsTest -Dreadme.update=true

clean:
	$(MVN) $(MVN_FLAGS) clean

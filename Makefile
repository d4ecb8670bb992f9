# wsreactor: `make run` starts the echo server, `make demo` the seat booking example, `make test` runs every test.
# HOST= and PORT= set the address of run, run-tls and demo alike (default 127.0.0.1, and 9001, 9443 and 8080).
# The rest are for contributors.
# Bash, for pipefail: Maven's output goes through a filter and its exit status must still count.
SHELL := bash
.SHELLFLAGS := -o pipefail -c
MVN ?= mvn
MVN_FLAGS ?= -B -q -ntp
# Some Maven builds print colour resets even in batch mode; what they print is read by people and logs, so strip
# them (with GNU sed, which the Linux builds that do it have; elsewhere the output is left as it is).
NO_COLOUR := $(if $(shell sed --version 2>/dev/null | grep GNU),2>&1 | sed -u 's/\x1b\[[0-9;]*m//g')
# A development package of the jars: the sources and Javadoc jars are for releases.
PACKAGE_FLAGS := -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
VERSION := $(shell sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
HOST ?= 127.0.0.1
PORT ?=
CLASSPATH := protocol/target/classes:reactor/target/classes
SERVER_JAR := server/target/wsreactor-server.jar
# The tools' one dependency, Jackson, copied to target/lib by the build (the library itself has none).
JACKSON = $(1)/target/lib/jackson-databind.jar:$(1)/target/lib/jackson-core.jar:$(1)/target/lib/jackson-annotations.jar
CONFORMANCE_CLASSPATH := $(CLASSPATH):server/target/classes:conformance/target/classes:$(call JACKSON,conformance)
# The seat example's libraries (Jackson; for the cluster, Jedis and its own), copied to target/lib by the build:
# expanded when a recipe runs, after the build has put them there.
SPACE := $(subst ,, )
SEATS_CLASSPATH = $(CLASSPATH):redis/target/classes:examples/seats/target/classes:$(subst $(SPACE),:,$(strip \
  $(wildcard examples/seats/target/lib/*.jar)))
SEATS_MAIN := dev.wsreactor.examples.seats.SeatsServer
E2E_DIR := examples/seats/e2e
# Runs a server until Ctrl-C. env resets SIGINT, which `make ... &` leaves ignored (the JVM would never see it); the
# JVM's 130 (SIGINT) or 143 (SIGTERM) after its graceful stop is how such a server ends, so it counts as success.
DEFAULT_SIGINT := $(shell env --default-signal=INT true 2>/dev/null && echo env --default-signal=INT)
FOREGROUND = $(DEFAULT_SIGINT) $(1); rc=$$?; case $$rc in 130|143) exit 0;; *) exit $$rc;; esac

.PHONY: build server-jar run run-tls demo demo-cluster test-cluster test-cluster-run bench bench-micro test test-jdk check-artifacts system-deps soak e2e e2e-run e2e-deps diagram conformance conformance-full conformance-tls conformance-client conformance-autobahn clean

## build: compile every module (no tests)
build:
	@$(MVN) $(MVN_FLAGS) -DskipTests compile $(NO_COLOUR)

## server-jar: server/target/wsreactor-server.jar, the echo server and the library in one executable jar
server-jar:
	@$(MVN) $(MVN_FLAGS) $(PACKAGE_FLAGS) -pl server -am package $(NO_COLOUR)

## run: the echo server on ws://$(HOST):$(or $(PORT),9001)/ (Ctrl-C stops it gracefully; ARGS='--help' lists its options)
run: server-jar
	@$(call FOREGROUND,java -jar $(SERVER_JAR) --host $(HOST) --port $(or $(PORT),9001) $(ARGS))

## run-tls: the echo server on wss://$(HOST):$(TLS_PORT)/ with a self-signed certificate for localhost and 127.0.0.1,
## made with the JDK's keytool on first run into $(TLS_DIR)/ (git ignores it). TLS_PASSWORD protects the keystores.
TLS_PORT ?= $(or $(PORT),9443)
TLS_DIR ?= .tls
TLS_PASSWORD ?= changeit
KEYTOOL ?= $(if $(JAVA_HOME),$(JAVA_HOME)/bin/keytool,keytool)
run-tls: server-jar $(TLS_DIR)/localhost.p12
	@echo "Trust hint: the certificate is self-signed. Clients must trust $(TLS_DIR)/localhost.pem:"
	@echo "  curl:    curl --cacert $(TLS_DIR)/localhost.pem https://localhost:$(TLS_PORT)/"
	@echo "  Java:    -Djavax.net.ssl.trustStore=$(TLS_DIR)/truststore.p12 -Djavax.net.ssl.trustStorePassword=$(TLS_PASSWORD)"
	@echo "  browser: open https://localhost:$(TLS_PORT)/ once and accept the certificate (or import the .pem)"
	@export WSREACTOR_TLS_PASSWORD='$(TLS_PASSWORD)'; $(call FOREGROUND,java -jar $(SERVER_JAR) \
	  --host $(HOST) --port $(TLS_PORT) --tls-keystore $(TLS_DIR)/localhost.p12 $(ARGS))

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

## demo: the live seat booking example on http://$(HOST):$(DEMO_PORT)/ (open it in two windows; Ctrl-C stops it)
DEMO_PORT ?= $(or $(PORT),8080)
demo: build
	@$(call FOREGROUND,java -cp $(SEATS_CLASSPATH) $(SEATS_MAIN) --host $(HOST) --port $(DEMO_PORT) $(ARGS))

## demo-cluster: the seat example as a cluster on http://127.0.0.1:$(DEMO_PORT)/: Redis, two nodes (a, b) sharing it,
## nginx in front (nodes on DEMO_PORT+1 and +2, Redis on +3); ?node=a or ?node=b pins a page. Ctrl-C stops all.
demo-cluster: build
	@$(call FOREGROUND,examples/seats/cluster/cluster.sh '$(SEATS_CLASSPATH)' --port $(DEMO_PORT) $(ARGS))

## test: every test of every module, our conformance harness included, then the published jars used from a separate
## project (check-artifacts), then the browser end-to-end tests, on one node and on the cluster. First installs what
## the tests use when it is missing (Debian's chromium, nodejs, npm, python3-websockets, nginx, redis-server): as
## root or with passwordless sudo, else it says what to run.
test: system-deps
	@$(MVN) -B -ntp test $(NO_COLOUR)
	@$(MAKE) --no-print-directory check-artifacts
	@$(MAKE) --no-print-directory e2e-run
	@$(MAKE) --no-print-directory test-cluster-run

## test-jdk: the build's tests (not the browser's) on another JDK: make test-jdk JDK=/path/to/jdk (default: a JDK 25
## where Debian's and Temurin's packages install them)
JDK ?= $(lastword $(sort $(wildcard /usr/lib/jvm/*-25-* /usr/lib/jvm/*-25)))
test-jdk:
	@if [ -x "$(JDK)/bin/java" ]; then \
	  echo "tests on $$("$(JDK)/bin/java" -version 2>&1 | head -1)"; \
	  JAVA_HOME="$(JDK)" $(MVN) -B -ntp test $(NO_COLOUR); \
	else echo "test-jdk: skipped, no JDK at $(JDK) (make test-jdk JDK=/path/to/jdk)"; fi

## check-artifacts: installs protocol and reactor (jars, sources, Javadoc) into a throwaway repository under
## target/, then builds a separate project that depends on wsreactor-reactor offline against it and runs it: a
## server that echoes one message of the JDK's WebSocket client. The first run downloads Maven's plugins into it.
ARTIFACTS := target/check-artifacts
ARTIFACTS_REPO := $(abspath $(ARTIFACTS))/repo
check-artifacts:
	@rm -rf $(ARTIFACTS_REPO)/dev/wsreactor $(ARTIFACTS)/consumer && mkdir -p $(ARTIFACTS)
	@echo "check-artifacts: mvn -pl reactor -am install, into $(ARTIFACTS)/repo"
	@$(MVN) $(MVN_FLAGS) -Dmaven.repo.local=$(ARTIFACTS_REPO) -pl reactor -am -DskipTests install $(NO_COLOUR)
	@for artifact in protocol reactor; do for kind in .pom .jar -sources.jar -javadoc.jar; do \
	  f=$(ARTIFACTS_REPO)/dev/wsreactor/wsreactor-$$artifact/$(VERSION)/wsreactor-$$artifact-$(VERSION)$$kind; \
	  [ -s $$f ] || { echo "check-artifacts: not installed: $$f"; exit 1; }; done; done
	@installed=$$(ls $(ARTIFACTS_REPO)/dev/wsreactor); [ "$$(echo $$installed)" = \
	  "wsreactor-parent wsreactor-protocol wsreactor-reactor" ] || { echo "check-artifacts: installed $$installed"; exit 1; }
	@cp -R server/src/it/consumer $(ARTIFACTS)/consumer
	@$(MVN) $(MVN_FLAGS) -o -Dmaven.repo.local=$(ARTIFACTS_REPO) -Dwsreactor.version=$(VERSION) \
	  -f $(ARTIFACTS)/consumer/pom.xml package $(NO_COLOUR)
	@out=$$(cd $(ARTIFACTS)/consumer && java -jar target/consumer.jar 2>target/stderr.log); rc=$$?; \
	  [ $$rc = 0 ] && [ "$$out" = "echoed: hello" ] || { echo "check-artifacts: the separate project (exit $$rc)"\
	  "printed: $$out"; cat $(ARTIFACTS)/consumer/target/stderr.log; exit 1; }; \
	  echo "check-artifacts: a separate project built offline against wsreactor-reactor $(VERSION) says: $$out"

# The system packages the tests use, Debian's: Chromium and Node (npm) for the browser test, python3-websockets as
# a server nobody here wrote for the client's tests, nginx with its stream module as the reverse proxy the proxy
# tests put in front of the server, redis-server as the broker of the redis module's bus tests. Installed when
# missing; never a browser build from elsewhere.
SYSTEM_PACKAGES := chromium nodejs npm python3-websockets nginx libnginx-mod-stream redis-server
system-deps:
	@missing=; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	  command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	  python3 -c 'import websockets' 2>/dev/null || /usr/bin/python3 -c 'import websockets' 2>/dev/null || \
	    missing="$$missing python3-websockets"; \
	  { command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || missing="$$missing nginx"; \
	  [ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || missing="$$missing libnginx-mod-stream"; \
	  command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	  [ -z "$$missing" ] && exit 0; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else \
	    echo "The tests need$$missing; install them with: sudo apt-get install -y $(SYSTEM_PACKAGES)"; exit 1; fi; \
	  echo "installing$$missing (Debian's packages) for the tests"; \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing

## soak: the limit tests' attacks (silent sockets past the file limit, clients that never read, a decompression
## bomb), round after round for SOAK_SECONDS against one echo server, checking it returns to where it started after
## each: no count drifts, no descriptor leaks, memory does not creep. Minutes long, so not in `make test`; CI runs it.
SOAK_SECONDS ?= 150
soak:
	@$(MVN) -B -ntp -pl reactor -am test -Dtest='*Soak' -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dsoak.seconds=$(SOAK_SECONDS) $(NO_COLOUR)

## e2e: the seat example in a real headless Chromium: two pages, a click, a server restart. Installs Chromium
## (Debian's package) and the test's npm packages when they are missing; never downloads a browser build.
e2e: build e2e-run

e2e-deps: system-deps
	@[ $(E2E_DIR)/node_modules/.package-lock.json -nt $(E2E_DIR)/package-lock.json ] || \
	  (cd $(E2E_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)

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

## test-cluster: the seat example's cluster in a real headless Chromium: cluster.sh on a free port (Redis, two
## nodes, nginx), two pages pinned to different nodes: a booking crosses, and a race for one seat has one winner.
test-cluster: build test-cluster-run

test-cluster-run: e2e-deps
	@mkdir -p examples/seats/target
	@# Four ports from here on (nginx, the nodes, Redis), below Linux's ephemeral range; cluster.sh checks them.
	@port=$$(( 20000 + RANDOM % 12000 )); \
	  examples/seats/cluster/cluster.sh '$(SEATS_CLASSPATH)' --port $$port > examples/seats/target/cluster.log 2>&1 & \
	  pid=$$!; start=$$(date +%s); \
	  SEATS_URL=http://127.0.0.1:$$port/ CLUSTER_PID=$$pid node --test $(E2E_DIR)/cluster.e2e.mjs; rc=$$?; \
	  kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; \
	  [ $$rc = 0 ] || tail -20 examples/seats/target/cluster.log; \
	  echo "test-cluster: exit $$rc in $$(( $$(date +%s) - start )) s"; exit $$rc

## conformance: the echo server on port $(CONFORMANCE_PORT), every case of our own harness against it, reports
## in conformance/reports/ (index.html, index.json in Autobahn's format). CASES=6.4.* picks some.
CONFORMANCE_PORT ?= 9002
CASES ?= *
CONFORMANCE_ARGS ?=
conformance: build server-jar
	@mkdir -p conformance/reports
	@java -jar $(SERVER_JAR) --port $(CONFORMANCE_PORT) > conformance/reports/server.log 2>&1 & \
	  pid=$$!; \
	  java -cp $(CONFORMANCE_CLASSPATH) dev.wsreactor.conformance.ConformanceMain \
	    --url ws://127.0.0.1:$(CONFORMANCE_PORT)/ --wait-for-server 20 --cases '$(CASES)' --out conformance/reports \
	    $(CONFORMANCE_ARGS); \
	  rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

## conformance-full: the same with Autobahn's 1,000 messages per case in groups 12 and 13 (an official run's counts)
conformance-full:
	@$(MAKE) --no-print-directory conformance CONFORMANCE_ARGS=--full

## conformance-tls: the same over wss:// (the run-tls certificate), reports in conformance/reports-tls/
conformance-tls: build server-jar $(TLS_DIR)/localhost.p12
	@mkdir -p conformance/reports-tls
	@WSREACTOR_TLS_PASSWORD='$(TLS_PASSWORD)' java -jar $(SERVER_JAR) \
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
conformance-autobahn: server-jar
	@mkdir -p conformance/reports
	@java -jar $(SERVER_JAR) --port 9001 > conformance/reports/autobahn-server.log 2>&1 & \
	  pid=$$!; \
	  conformance/autobahn/run.sh; \
	  rc=$$?; kill $$pid; wait $$pid 2>/dev/null; exit $$rc

## bench: our echo server, tuned Netty's (native epoll, a flush per read batch), plain Netty's (writeAndFlush per
## frame), Java-WebSocket's and, with CEILING=path/to/a/C/echo/server, that one as the ceiling, each pinned to core
## 1, loaded from core 0, every scenario, alternating; prints medians and ratios (rate and CPU) against each.
## WSLOAD=path/to/wsload uses the C load generator instead of ours; BENCH_JAVA=path/to/bin/java runs the Java
## servers on another JDK (e.g. 25); BENCH_ARGS=--first-burst measures idle memory on the first 10,000 connections
## instead of the steady state; SERVERS=wsreactor,netty-tuned picks some.
ROUNDS ?= 3
DURATION ?= 10
WSLOAD ?=
CEILING ?=
BENCH_JAVA ?=
SERVERS ?= wsreactor,netty-tuned,netty,java-websocket,ceiling
SCENARIOS ?= small,pipelined,bandwidth,handshakes,idle
BENCH_ARGS ?=
bench:
	$(MVN) $(MVN_FLAGS) $(PACKAGE_FLAGS) -pl bench -am package $(NO_COLOUR)
	java -cp 'bench/target/classes:bench/target/lib/*' dev.wsreactor.bench.BenchRunner --rounds $(ROUNDS) \
	  --duration $(DURATION) --servers $(SERVERS) --scenarios $(SCENARIOS) --wsload '$(WSLOAD)' \
	  --ceiling '$(CEILING)' --java '$(BENCH_JAVA)' $(BENCH_ARGS)

## bench-micro: build bench/target/benchmarks.jar and run every JMH micro-benchmark with the GC profiler; results
## in bench/target/jmh-results.json. JMH_ARGS replaces the short default run: patterns (regexps, several separated by
## spaces; quote one that holds a |) and JMH options, e.g. JMH_ARGS='Echo Send -f 3 -i 10';
## JMH_ARGS='-h' lists JMH's options. Not part of `make test`.
JMH_ARGS ?= -f 1 -wi 3 -i 5 -w 1s -r 1s
bench-micro:
	$(MVN) $(MVN_FLAGS) $(PACKAGE_FLAGS) -Pbenchmarks -pl bench -am package $(NO_COLOUR)
	java -jar bench/target/benchmarks.jar -prof gc -rf json -rff bench/target/jmh-results.json $(JMH_ARGS)

## diagram: rewrite the README's state machine block from the transition table
diagram:
	$(MVN) $(MVN_FLAGS) -pl protocol test -Dtest=TransitionsTest -Dreadme.update=true $(NO_COLOUR)

clean:
	$(MVN) $(MVN_FLAGS) clean $(NO_COLOUR)

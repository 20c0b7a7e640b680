# Two commands on a fresh clone: `make demo` runs the product, `make test` passes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CLIENT_VENV := .venv-client
CLIENT_STAMP := $(CLIENT_VENV)/.installed
DEMO_DIR ?= .demo

.PHONY: test demo translations lint stress screenshots bench clean pg-install a11y a11y-deps orca cluster-test haproxy-install

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The bench's app probes run from an install of the client alone, as a user has it: `pip install .`
# without the test tools (their rich and click are imported by httpx when present: ~0.1 s of a cold start).
$(CLIENT_STAMP): pyproject.toml
	test -x $(CLIENT_VENV)/bin/python || $(PYTHON) -m venv $(CLIENT_VENV)
	$(CLIENT_VENV)/bin/python -m pip install --quiet .
	touch $(CLIENT_STAMP)

# Qt's .qm files are built, never committed; test, demo and screenshots share this step.
translations: $(STAMP)
	$(PY) -m desktop.i18n_build

lint: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check desktop server_stub tests bench packaging
	$(VENV)/bin/ruff format --check desktop server_stub tests bench packaging

test: $(STAMP) translations lint pg-install a11y-deps
	$(PY) -m pytest -q -m "not stress and not cluster"

# The service as a cluster (issue 17, tests/cluster): PostgreSQL, instances as real processes,
# HAProxy in front; ~35 s, so beside `make test` (.ci/run runs both), not in it.
cluster-test: $(STAMP) pg-install haproxy-install
	$(PY) -m pytest -q -m cluster tests/cluster

# The distribution's HAProxy, installed when missing (needs root, as pg-install); the tests run
# their own unprivileged copy, never the package's service.
haproxy-install:
	command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy)

# The service tests run on SQLite and on a throw-away PostgreSQL server (tests/postgres_server.py):
# the distribution's package, installed when missing (needs root, as validate-desktop), without
# the cluster Debian would otherwise create and start on port 5432.
pg-install:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-common && \
	   sed -i 's/^#*[[:space:]]*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf && \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

# Accessibility (issue 18, tests/a11y): the app under Xvfb read over AT-SPI. Installs the
# distribution's parts when missing (needs root or sudo; without them the run is skipped, in CI it fails).
a11y-deps:
	-tests/a11y/system-deps.sh

a11y: $(STAMP) translations a11y-deps
	MENSCENTRAAL_A11Y_REQUIRED=1 $(PY) -m pytest -q tests/a11y

# The main flows read, and three driven by keys, with Orca, the screen reader (tests/a11y/test_orca.py; ~3 min, not in make test).
orca: $(STAMP) translations
	ORCA=1 tests/a11y/system-deps.sh
	MENSCENTRAAL_ORCA=1 MENSCENTRAAL_A11Y_REQUIRED=1 $(PY) -m pytest -q tests/a11y/test_orca.py

stress: $(STAMP)
	$(PY) -m pytest -q -m stress

# Every screen, rendered offscreen from the demo service (started and stopped by the script).
screenshots: $(STAMP) translations
	$(PY) -m tests.ui.render_screenshots docs/screenshots

# Qt's window libraries first (installed when missing as root, else the command to run), then
# the service, three enrolled people and the app.
demo: $(STAMP) translations
	packaging/linux/qt-runtime-deps.sh $(PY)
	$(PY) -m desktop.demo $(DEMO_DIR)

# --- packaging (issue 8; see packaging/README.md). Not part of `make test`. ---------------------
PACKAGE_STAMP := $(VENV)/.package-installed
PACKAGE_TEST_DIR ?= /tmp/menscentraal-package-test
APP_ID := nl.menscentraal.Mobiel

.PHONY: package package-test install-desktop uninstall-desktop validate-desktop

$(PACKAGE_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[package]'
	touch $(PACKAGE_STAMP)

# The client as one folder, dist/menscentraal/ (run dist/menscentraal/menscentraal).
package: $(PACKAGE_STAMP)
	packaging/linux/build-deps.sh
	$(PY) -m desktop.i18n_build
	QT_QPA_PLATFORM=offscreen $(PY) packaging/make_icons.py build/icons
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/menscentraal.spec
	@echo "package: dist/menscentraal is $$(du -sh dist/menscentraal | cut -f1)"

# Build from a fresh clone of the committed tree (own venv) and run the frozen binary offscreen.
package-test: validate-desktop
	rm -rf $(PACKAGE_TEST_DIR)
	git clone --quiet . $(PACKAGE_TEST_DIR)
	start=$$(date +%s); $(MAKE) -C $(PACKAGE_TEST_DIR) package PYTHON=$(PYTHON) && \
	  echo "package-test: built in $$(( $$(date +%s) - start )) s"
	cd $(PACKAGE_TEST_DIR) && version=$$($(PYTHON) -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])') && \
	  test "$$(dist/menscentraal/menscentraal --version)" = "MensCentraal Mobiel $$version" && echo "package-test: --version says $$version"
	cd /tmp && QT_QPA_PLATFORM=offscreen MENSCENTRAAL_ORGANISATION_FILE= $(PACKAGE_TEST_DIR)/dist/menscentraal/menscentraal --self-test
	command -v Xvfb >/dev/null && command -v xwininfo >/dev/null || apt-get install -y -qq xvfb x11-utils || true
	cd /tmp && $(PACKAGE_TEST_DIR)/.venv/bin/python $(PACKAGE_TEST_DIR)/packaging/check_frozen.py $(PACKAGE_TEST_DIR)/dist/menscentraal/menscentraal
	@echo "package-test: passed; dist/menscentraal is $$(du -sh $(PACKAGE_TEST_DIR)/dist/menscentraal | cut -f1)"

# The menu entry and metainfo must validate; installs Debian's validators when missing (needs root).
validate-desktop:
	command -v appstreamcli >/dev/null && command -v desktop-file-validate >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq appstream desktop-file-utils)
	appstreamcli validate --no-net packaging/linux/$(APP_ID).metainfo.xml
	desktop-file-validate packaging/linux/$(APP_ID).desktop

# Menu entry, icon and metainfo into the XDG folders: for this user, or everyone with SYSTEM=1.
install-desktop: validate-desktop
	test -x dist/menscentraal/menscentraal || $(MAKE) package
	packaging/linux/install-desktop.sh $(if $(SYSTEM),--system)

uninstall-desktop:
	packaging/linux/install-desktop.sh --uninstall $(if $(SYSTEM),--system)

clean:
	rm -rf $(VENV) $(CLIENT_VENV) $(DEMO_DIR) build dist *.egg-info

# Benchmarks (issue 7): never part of `make test`; see bench/README.md. Writes bench/results/latest.json.
bench: $(STAMP) $(CLIENT_STAMP) translations pg-install
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run

# Two commands on a fresh clone: `make demo` runs the product, `make test` passes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DIR ?= .demo

.PHONY: test demo translations lint stress screenshots bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Qt's .qm files are built, never committed; test, demo and screenshots share this step.
translations: $(STAMP)
	$(PY) -m desktop.i18n_build

lint: $(STAMP)
	$(VENV)/bin/lint-imports

test: $(STAMP) translations lint
	$(PY) -m pytest -q -m "not stress"

stress: $(STAMP)
	$(PY) -m pytest -q -m stress

# Every screen, rendered offscreen from the demo service (started and stopped by the script).
screenshots: $(STAMP) translations
	$(PY) -m tests.ui.render_screenshots docs/screenshots

demo: $(STAMP) translations
	$(PY) -m desktop.demo $(DEMO_DIR)

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist *.egg-info

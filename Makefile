# Fresh-machine entry points: `make run` (demo under the JIT) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HAWK := $(VENV)/bin/hawk

.PHONY: run test sweep bench bench-r7rs clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(HAWK) run examples/demo.scm

test: $(VENV)/.installed
	$(PY) -m pytest -q

# The full differential sweep: every tests/scheme program under JIT seeds
# 1..SWEEP at several hotness thresholds, with and without GC stress, and
# 10 * SWEEP random programs of each family (tests/random_programs.py) against
# the interpreter.
SWEEP ?= 20
sweep: $(VENV)/.installed
	HAWK_SWEEP=$(SWEEP) $(PY) -m pytest -q tests/test_programs.py tests/test_jit_random_programs.py

bench: $(VENV)/.installed
	$(PY) bench/interp_vs_python.py
	$(PY) bench/startup.py

bench-r7rs: $(VENV)/.installed
	$(PY) bench/run.py --scale small

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

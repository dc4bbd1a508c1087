# Quick start: `make run` launches Loupe, `make test` runs the test suite.
# Both create .venv on first use and install the project into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench clean-venv bundle bundle-check

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/import_speed.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/grid_speed.py
	$(PY) bench/train_overhead.py
	$(PY) bench/al_refresh.py

clean-venv:
	rm -rf $(VENV)

# The app bundle for this platform (packaging/README.md): dist/Loupe (Linux), dist/Loupe.app
# (macOS); on Windows run packaging/build_windows.ps1. The script installs the bundle extra
# (PyInstaller) into .venv if it is missing. Slow (10-20 min) and large: not part of `make test`.
bundle: $(STAMP)
	case "$$(uname -s)" in \
	Linux) PYTHON=$(PY) sh packaging/build_linux.sh ;; \
	Darwin) PYTHON=$(PY) sh packaging/build_macos.sh ;; \
	*) echo "make bundle: on Windows run: powershell -ExecutionPolicy Bypass -File packaging\\build_windows.ps1" >&2; exit 2 ;; \
	esac

# Run the built bundle: --version, the command line on the sample project, a training run, and
# screenshots (English and Chinese) checked for a painted grid (packaging/check_bundle.py).
bundle-check: $(STAMP)
	$(PY) packaging/check_bundle.py $(CHECK_ARGS)

# The two commands of CONTRACT.md: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Test processes (pytest-xdist); each has its own PostgreSQL database and browser. 0: one process.
TEST_WORKERS ?= 3
FLASK := $(BIN)/flask --app app

.PHONY: run test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo ""
	@echo "  Một cửa Bưu điện: http://127.0.0.1:$(PORT)/admin/"
	@echo "  Demo logins (password: $${DEMO_PASSWORD:-demo-2026}):"
	@echo "    it_admin, dept_admin, po_supervisor, po_clerk, viewer, dept_admin2, po_clerk2"
	@echo "  Ctrl-C stops the server; the data stays in instance/app.db."
	@echo ""
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.dev
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output

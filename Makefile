# The README's two commands: `make serve` and `make test`. Each bootstraps from nothing.
.PHONY: serve test check pack bench lock clean

VENV := .venv/bin

serve:
	@scripts/bootstrap.sh serve
	$(VENV)/casebook serve --dev-addr 127.0.0.1:8000

test:
	@scripts/bootstrap.sh test
	$(VENV)/python -m pytest -n auto --dist loadfile

check:
	@scripts/bootstrap.sh serve
	$(VENV)/casebook check --strict

# One training pack per outlet under packs/ (PDF + HTML).
pack:
	@scripts/bootstrap.sh pack
	$(VENV)/casebook pack --all --out packs

bench:
	@scripts/bootstrap.sh test
	$(VENV)/python benchmarks/bench.py

# Refresh constraints.txt after changing dependency ranges in pyproject.toml.
lock:
	rm -rf /tmp/casebook-lock && python3 -m venv /tmp/casebook-lock
	/tmp/casebook-lock/bin/pip install -q -e '.[test]'
	/tmp/casebook-lock/bin/pip freeze --exclude-editable | grep -v '^casebook' > constraints.txt

clean:
	rm -rf .venv site build packs
